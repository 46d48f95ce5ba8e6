from django.core.management import call_command

from ettervern.accounts.models import User
from ettervern.followup.selectors import attention_items
from ettervern.web.demo import ORGS


def test_the_demo_shows_a_match_that_has_gone_quiet(db):
    """Matches in the demo began weeks ago; one has had no contact for longer than the alert."""
    call_command("seed_demo", "--quiet-logins")
    for spec in ORGS:
        for login in ("koordinator", "likeperson"):
            user = User.objects.get(email=f"{login}@{spec.email_domain}")
            quiet = [i for i in attention_items(user) if i.kind == "no_contact"]
            assert quiet, (spec.slug, login)
            assert all(i.text.startswith("Ingen kontakt på ") for i in quiet)
