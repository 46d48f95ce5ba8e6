from ettervern.followup.selectors import attention_items
from ettervern.participants.services import consent_give, consent_withdraw
from ettervern.web.tests.home import home_page


def kinds(user):
    return [(i.kind, i.participant_name) for i in attention_items(user)]


def test_withdrawn_follow_up_consent_tells_the_coordinator_until_given_again(personas):
    item = ("consent_withdrawn", "Dag Deltaker")
    assert item not in kinds(personas.coordinator)
    consent_withdraw(
        actor=personas.participant_user, participant=personas.participant, purpose="follow_up"
    )
    assert item in kinds(personas.coordinator)
    text = next(i.text for i in attention_items(personas.coordinator) if i.kind == item[0])
    assert text == "Deltakeren har trukket samtykke til oppfølging"
    assert item not in kinds(personas.peer_user)
    assert "consent_withdrawn" not in {k for k, _ in kinds(personas.coordinator_b)}
    consent_give(
        actor=personas.participant_user,
        participant=personas.participant,
        purpose="follow_up",
        method="digital",
        text_version="2026-1",
    )
    assert item not in kinds(personas.coordinator)


def test_home_page_of_the_coordinator_shows_the_withdrawal(client, personas):
    consent_withdraw(
        actor=personas.participant_user, participant=personas.participant, purpose="follow_up"
    )
    client.force_login(personas.coordinator)
    body = home_page(client).content.decode()
    assert 'data-kind="consent_withdrawn"' in body
    assert "Deltakeren har trukket samtykke til oppfølging" in body
