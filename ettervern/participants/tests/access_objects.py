from ettervern.web.tests.access import AccessObject


def _goal(participant):
    from ettervern.participants.models import Goal

    goal, _ = Goal.objects.get_or_create(
        participant=participant,
        life_area="housing",
        defaults={
            "organisation_id": participant.organisation_id,
            "programme_id": participant.programme_id,
            "description": "Egen leilighet",
        },
    )
    return goal.pk


OBJECTS = {
    "participant_id": AccessObject(
        foreign=lambda p: p.participant_b.pk,
        local=lambda p: p.participant.pk,
        entitled=frozenset({"coordinator", "peer_user", "participant_user"}),
    ),
    "goal_id": AccessObject(
        foreign=lambda p: _goal(p.participant_b),
        local=lambda p: _goal(p.participant),
        entitled=frozenset({"coordinator", "peer_user"}),
    ),
}
