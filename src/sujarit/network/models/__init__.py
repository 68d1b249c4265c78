"""The network app's models, one module per subject."""

from sujarit.network.models.activities import (
    Activity,
    ActivityKind,
    ActivityPhoto,
    Attendance,
    AttendanceGroup,
)
from sujarit.network.models.awards import Award, AwardContest
from sujarit.network.models.mous import Mou
from sujarit.network.models.organizations import (
    LEVEL_ORDER,
    Level,
    Member,
    MemberRole,
    Organization,
    OrganizationKind,
    Training,
)
from sujarit.network.models.plans import (
    COUNTED_STATUSES,
    ActionPlan,
    AreaLevel,
    Measure,
    Pillar,
    PlanActivity,
    PlanPillar,
    PlanStatus,
    PlanStatusChange,
    ProgressSnapshot,
)
from sujarit.network.models.visits import (
    Answer,
    ChecklistQuestion,
    ChecklistTemplate,
    Visit,
    VisitAnswer,
    VisitPhoto,
)

__all__ = [
    "COUNTED_STATUSES",
    "LEVEL_ORDER",
    "ActionPlan",
    "Activity",
    "ActivityKind",
    "ActivityPhoto",
    "Answer",
    "AreaLevel",
    "Attendance",
    "AttendanceGroup",
    "Award",
    "AwardContest",
    "ChecklistQuestion",
    "ChecklistTemplate",
    "Level",
    "Measure",
    "Member",
    "MemberRole",
    "Mou",
    "Organization",
    "OrganizationKind",
    "Pillar",
    "PlanActivity",
    "PlanPillar",
    "PlanStatus",
    "PlanStatusChange",
    "ProgressSnapshot",
    "Training",
    "Visit",
    "VisitAnswer",
    "VisitPhoto",
]
