from ettervern.research.tests.factories import research
from ettervern.web.tests.access import AccessObject

OBJECTS = {
    "project_id": AccessObject(
        foreign=lambda p: research(p).project_b.pk,
        local=lambda p: research(p).project.pk,
        entitled=frozenset({"researcher"}),
    ),
    "research_project_id": AccessObject(
        foreign=lambda p: research(p).project_b.pk,
        local=lambda p: research(p).project.pk,
        entitled=frozenset({"admin"}),
    ),
}
