from django.urls import include, path

import ettervern.lib.converters  # noqa: F401  (registers the <id:...> converter)
from ettervern.orgadmin import views as orgadmin_views
from ettervern.web import views as web_views

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("", include("ettervern.web.urls")),
    path("deltakere/", include("ettervern.participants.urls")),
    path("likepersoner/", include("ettervern.peers.urls")),
    path("matching/", include("ettervern.matching.urls")),
    path("oppfolging/", include("ettervern.followup.urls")),
    path("arbeid/", include("ettervern.employment.urls")),
    path("sporreskjema/", include("ettervern.outcomes.urls")),
    path("rapporter/", include("ettervern.reports.urls")),
    path("arrangementer/", include("ettervern.arenas.urls")),
    path("logg/", include("ettervern.audit.urls")),
    path("import/", include("ettervern.imports.urls")),
    path("tilbud/", include("ettervern.offers.urls")),
    path("varsler/", include("ettervern.reminders.urls")),
    path("rekruttering/", include("ettervern.radar.urls")),
    path("forskning/", include("ettervern.research.urls")),
    path("admin-org/forskning/", include("ettervern.research.admin_urls")),
    path("admin-org/", include("ettervern.orgadmin.urls")),
    path("invitasjon/<str:token>/", orgadmin_views.invitation_accept, name="invitation_accept"),
]

handler400 = web_views.bad_request
handler403 = web_views.permission_denied
handler404 = web_views.page_not_found
handler500 = web_views.server_error
