"""Demo data for research: in the Bergen service an approved project with the demo researcher
(«forsker») responsible, running from some months ago to next year; in the Oslo job programme a
proposed project waiting for the administrator's approval. Research consent comes from the
participants' demo data (most participants gave it)."""

import datetime as dt

from ettervern.accounts.models import Membership, Programme, Role
from ettervern.research import services

PROJECTS = {
    Programme.Kind.PEER_SUPPORT: {
        "title": "Likepersonstøtte etter behandling: ventetid, kontakt og utfall",
        "purpose": (
            "Beskrive hvem som får likepersonstøtte etter behandling og soning, hvor lenge de "
            "venter, og hvor ofte de har kontakt. Registerbasert, med samtykke."
        ),
        "approval_reference": "REK 2026/48213",
        "approve": True,
    },
    Programme.Kind.JOB: {
        "title": "Ut i jobb med likepersonstøtte",
        "purpose": "Arbeidsutfall for deltakere med og uten likeperson under arbeidstrening.",
        "approval_reference": "",
        "approve": False,
    },
}


def seed(ctx) -> None:
    spec = PROJECTS.get(ctx.programme.kind)
    if spec is None or "forsker" not in ctx.users or "admin" not in ctx.users:
        return
    admin = ctx.users["admin"]
    researcher = Membership.objects.get(
        user=ctx.users["forsker"], programme=ctx.programme, role=Role.RESEARCHER
    )
    project = services.project_create(
        actor=admin,
        organisation=ctx.organisation,
        title=spec["title"],
        purpose=spec["purpose"],
        approval_reference=spec["approval_reference"],
        starts_on=ctx.today - dt.timedelta(days=120),
        ends_on=ctx.today + dt.timedelta(days=540),
        programmes=[ctx.programme],
        researchers=[researcher],
    )
    if spec["approve"]:
        services.project_approve(actor=admin, project=project)
