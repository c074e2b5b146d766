"""Writes of the consultation queue, split by subject: cases, 相談会 sessions, follow-up."""

from .cases import *  # noqa: F403
from .cases import (  # noqa: F401  (explicit names for readers and type checkers)
    MAX_ATTACHMENTS,
    PERSONAL_FIELDS,
    PRIVACY_NOTICE_VERSION,
    consultation_add_city_comment,
    consultation_add_note,
    consultation_anonymise,
    consultation_assign,
    consultation_change_status,
    consultation_record_view,
    consultation_refer_to_ward,
    consultation_release,
    consultation_reply,
    consultation_share_with_city,
    consultation_submit,
    consultations_anonymise_expired,
    consultations_due_for_anonymisation,
    retention_cutoff,
)
from .followup import (  # noqa: E402, F401
    followup_digest_for_user,
    followup_digests,
    weekly_agenda,
    weekly_agenda_csv_rows,
)
from .sessions import *  # noqa: E402, F403
from .sessions import (  # noqa: E402, F401
    booking_cancel,
    booking_reminders_send,
    slot_book,
)
