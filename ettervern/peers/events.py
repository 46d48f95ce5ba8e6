"""Audit event types of the peer workers' side. None of them is on a participant's timeline."""

from ettervern.audit.events import declare

ADVISOR_REGISTERED = declare(
    "advisor_registered",
    keys={"user_id"},
    says="An advisor (veileder, without the peer course) was registered in the resource base",
)
CANDIDATE_COURSE_SET = declare(
    "candidate_course_set",
    keys={"course_id"},
    says="A candidate was put on a course",
)
CANDIDATE_CREATED = declare(
    "candidate_created",
    keys={"heard_via"},
    says="A candidate for the peer course was registered",
)
CANDIDATE_WITHDRAWN = declare(
    "candidate_withdrawn",
    says="A candidate withdrew",
)
CHECKIN_SUBMITTED = declare(
    "checkin_submitted",
    keys={"support_wanted"},
    says="A peer worker submitted a well-being check-in (answers stay with the check-in)",
)
CHECKINS_READ = declare(
    "checkins_read",
    keys={"count", "peer_id"},
    says="A coordinator read a peer worker's check-ins",
)
CONVERSATION_REQUEST_RESOLVED = declare(
    "conversation_request_resolved",
    keys={"count"},
    says="A peer worker's requests for a conversation were resolved",
)
CONVERSATION_REQUESTED = declare(
    "conversation_requested",
    says="A peer worker asked for a conversation",
)
COURSE_ATTENDANCE_SET = declare(
    "course_attendance_set",
    keys={"count"},
    says="Attendance at a course session was recorded",
)
COURSE_COMPLETED = declare(
    "course_completed",
    keys={"course_id"},
    says="A candidate completed the peer course",
)
COURSE_CREATED = declare(
    "course_created",
    says="A peer course was created",
)
COURSE_SESSION_CREATED = declare(
    "course_session_created",
    keys={"course_id"},
    says="A course session was added",
)
GROUP_SUPERVISION_ATTENDANCE = declare(
    "group_supervision_attendance",
    keys={"peer_ids"},
    says="Attendance at group supervision was recorded",
)
GROUP_SUPERVISION_CREATED = declare(
    "group_supervision_created",
    says="A group supervision was registered",
)
PEER_ADMITTED = declare(
    "peer_admitted",
    keys={"user_id", "candidate_id"},
    says="A candidate was admitted to the resource base",
)
PEER_OVERVIEW_READ = declare(
    "peer_overview_read",
    keys={"count"},
    says="A coordinator opened the overview of peer workers",
)
PROFILE_CHANGED = declare(
    "profile_changed",
    keys={"fields"},
    says="A peer worker's profile changed (field names)",
)
RESOURCE_STATUS_CHANGED = declare(
    "resource_status_changed",
    keys={"from", "to"},
    says="A peer worker's status in the resource base changed",
)
SUPERVISION_HELD = declare(
    "supervision_held",
    keys={"topics", "peer_id", "requests_resolved"},
    says="An individual supervision was held (topics are codes; notes stay with it)",
)
SUPERVISIONS_READ = declare(
    "supervisions_read",
    keys={"peer_id", "notes_shown"},
    says="Supervisions of a peer worker were read",
)
