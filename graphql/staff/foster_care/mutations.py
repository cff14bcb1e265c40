"""Foster-care mutations: one class per service action of modules/foster_care/services.py. Each declares every
error code its service can raise; rules, permissions and audit stay in the service."""

import graphene

from ostoja.graphql.core.ids import decode_id, decode_ids
from ostoja.graphql.core.mutations import ServiceMutation, actor
from ostoja.graphql.staff.foster_care import types
from ostoja.modules.foster_care import services

RELATION_CODES = ("invalid_kind", "invalid_relation", "related_family_relation")


def _v(value):
    """The plain value of an enum input (graphene 3 passes enum members)."""
    return getattr(value, "value", value)


def _person_id(value, field="personId"):
    return decode_id(value, "Person", field=field)


def _child_id(value, field="childId"):
    return decode_id(value, "FosterChild", field=field)


def _family_id(value, field="familyId"):
    return decode_id(value, "FosterFamily", field=field)


def _candidate_id(value, field="candidateId"):
    return decode_id(value, "Candidate", field=field)


def _address(data) -> dict:
    return {key: data[key] for key in ("street", "building", "flat", "postcode", "city", "phone") if key in data}


class FosterPersonRelationInput(graphene.InputObjectType):
    person_id = graphene.ID(required=True)
    relation = types.FosterRelation(required=True, description="The person's relation to the children.")


class AddressInputFields:
    street = graphene.String()
    building = graphene.String()
    flat = graphene.String()
    postcode = graphene.String()
    city = graphene.String()


def _persons(items, field) -> list[tuple[int, str]]:
    return [(_person_id(item.person_id, field=field), _v(item.relation)) for item in items or ()]


# --- candidates -------------------------------------------------------------------------------------


class RegisterCandidateInput(AddressInputFields, graphene.InputObjectType):
    name = graphene.String(required=True, description="e.g. Anna and Jan Kowalski")
    desired_kind = types.FosterFamilyKind(required=True)
    applied_on = graphene.Date(required=True)
    persons = graphene.List(graphene.NonNull(FosterPersonRelationInput), required=True)
    recruitment_source = graphene.String()


class RegisterCandidate(ServiceMutation):
    """Register persons applying to become a foster family."""

    class Meta:
        error_codes = ("required", "no_persons", "person_not_found", "unknown_field", *RELATION_CODES)

    class Arguments:
        input = RegisterCandidateInput(required=True)

    candidate = graphene.Field(types.Candidate)

    @classmethod
    def perform(cls, info, input):
        candidate = services.register_candidate(
            actor(info),
            name=input.name,
            desired_kind=_v(input.desired_kind),
            applied_on=input.applied_on,
            persons=_persons(input.persons, "persons"),
            recruitment_source=input.get("recruitment_source") or "",
            **{k: v for k, v in _address(input).items() if k != "phone"},
        )
        return {"candidate": candidate}


class ReferCandidateToTraining(ServiceMutation):
    class Meta:
        error_codes = ("required", "candidate_not_found", "candidate_wrong_status")

    class Arguments:
        candidate_id = graphene.ID(required=True)
        referred_on = graphene.Date(required=True)
        training_name = graphene.String(required=True)

    candidate = graphene.Field(types.Candidate)

    @classmethod
    def perform(cls, info, candidate_id, referred_on, training_name):
        candidate = services.refer_candidate_to_training(
            actor(info), _candidate_id(candidate_id), referred_on=referred_on, training_name=training_name
        )
        return {"candidate": candidate}


class RecordTrainingCompleted(ServiceMutation):
    class Meta:
        error_codes = ("candidate_not_found", "before_referral", "candidate_wrong_status")

    class Arguments:
        candidate_id = graphene.ID(required=True)
        completed_on = graphene.Date(required=True)

    candidate = graphene.Field(types.Candidate)

    @classmethod
    def perform(cls, info, candidate_id, completed_on):
        candidate = services.record_training_completed(
            actor(info), _candidate_id(candidate_id), completed_on=completed_on
        )
        return {"candidate": candidate}


class RejectCandidate(ServiceMutation):
    """End a candidacy: not qualified, or withdrawn by the candidates themselves."""

    class Meta:
        error_codes = ("required", "candidate_not_found", "candidate_wrong_status")

    class Arguments:
        candidate_id = graphene.ID(required=True)
        reason = graphene.String(required=True)
        withdrawn = graphene.Boolean(default_value=False)

    candidate = graphene.Field(types.Candidate)

    @classmethod
    def perform(cls, info, candidate_id, reason, withdrawn=False):
        candidate = services.reject_candidate(
            actor(info), _candidate_id(candidate_id), reason=reason, withdrawn=withdrawn
        )
        return {"candidate": candidate}


class QualifyCandidate(ServiceMutation):
    """The candidate becomes a foster family (training first, except for a related family)."""

    class Meta:
        error_codes = (
            "candidate_not_found",
            "candidate_wrong_status",
            "training_not_completed",
            "required",
            *RELATION_CODES,
        )

    class Arguments:
        candidate_id = graphene.ID(required=True)
        qualified_on = graphene.Date(required=True)
        qualification_reference = graphene.String(required=True)
        kind = types.FosterFamilyKind(description="Default: the kind the candidate applied for.")

    family = graphene.Field(types.FosterFamily)
    candidate = graphene.Field(types.Candidate)

    @classmethod
    def perform(cls, info, candidate_id, qualified_on, qualification_reference, kind=None):
        family = services.qualify_candidate(
            actor(info),
            _candidate_id(candidate_id),
            qualified_on=qualified_on,
            qualification_reference=qualification_reference,
            kind=_v(kind),
        )
        return {"family": family, "candidate": family.candidate}


# --- families ---------------------------------------------------------------------------------------


class CreateFosterFamilyInput(AddressInputFields, graphene.InputObjectType):
    name = graphene.String(required=True)
    kind = types.FosterFamilyKind(required=True)
    members = graphene.List(graphene.NonNull(FosterPersonRelationInput), required=True)
    qualified_on = graphene.Date()
    phone = graphene.String()


class CreateFamily(ServiceMutation):
    """A foster family constituted directly (e.g. a related family appointed by the court)."""

    class Meta:
        error_codes = ("required", "no_members", "person_not_found", "unknown_field", *RELATION_CODES)

    class Arguments:
        input = CreateFosterFamilyInput(required=True)

    family = graphene.Field(types.FosterFamily)

    @classmethod
    def perform(cls, info, input):
        family = services.create_family(
            actor(info),
            name=input.name,
            kind=_v(input.kind),
            members=_persons(input.members, "members"),
            qualified_on=input.get("qualified_on"),
            **_address(input),
        )
        return {"family": family}


class AddFamilyMember(ServiceMutation):
    class Meta:
        error_codes = ("family_not_found", "person_not_found", "already_member", *RELATION_CODES)

    class Arguments:
        family_id = graphene.ID(required=True)
        person_id = graphene.ID(required=True)
        relation = types.FosterRelation(required=True)
        joined_on = graphene.Date()

    member = graphene.Field(types.FamilyMember)
    family = graphene.Field(types.FosterFamily)

    @classmethod
    def perform(cls, info, family_id, person_id, relation, joined_on=None):
        member = services.add_family_member(
            actor(info), _family_id(family_id), _person_id(person_id), _v(relation), joined_on
        )
        return {"member": member, "family": member.family}


class ChangeFamilyStatus(ServiceMutation):
    """Suspend, reactivate or dissolve a family (a dissolved family has no current placements)."""

    class Meta:
        error_codes = ("invalid_status", "family_not_found", "family_dissolved", "family_has_children")

    class Arguments:
        family_id = graphene.ID(required=True)
        status = types.FosterFamilyStatus(required=True)

    family = graphene.Field(types.FosterFamily)

    @classmethod
    def perform(cls, info, family_id, status):
        return {"family": services.change_family_status(actor(info), _family_id(family_id), _v(status))}


class AssignCoordinator(ServiceMutation):
    """Make a foster-care coordinator responsible for a family; a coordinator has at most 15 families
    (COORDINATOR_LIMIT)."""

    class Meta:
        error_codes = (
            "coordinator_not_found",
            "not_coordinator",
            "family_not_found",
            "family_dissolved",
            "coordinator_limit",
        )

    class Arguments:
        family_id = graphene.ID(required=True)
        coordinator_id = graphene.ID(required=True, description="A StaffMember ID.")
        since = graphene.Date(description="Default: today.")

    family = graphene.Field(types.FosterFamily)

    @classmethod
    def perform(cls, info, family_id, coordinator_id, since=None):
        family = services.assign_coordinator(
            actor(info),
            _family_id(family_id),
            decode_id(coordinator_id, "StaffMember", field="coordinatorId"),
            since=since,
        )
        return {"family": family}


# --- children and placements --------------------------------------------------------------------------


class RegisterChild(ServiceMutation):
    class Meta:
        error_codes = ("invalid_goal", "person_not_found", "child_exists", "invalid_siblings")

    class Arguments:
        person_id = graphene.ID(required=True)
        reintegration_goal = types.ReintegrationGoal()
        reintegration_plan = graphene.String()
        sibling_of_id = graphene.ID(description="A FosterChild who is this child's sibling.")

    child = graphene.Field(types.FosterChild)

    @classmethod
    def perform(cls, info, person_id, reintegration_goal=None, reintegration_plan="", sibling_of_id=None):
        child = services.register_child(
            actor(info),
            _person_id(person_id),
            reintegration_goal=_v(reintegration_goal) or "undecided",
            reintegration_plan=reintegration_plan or "",
            sibling_of=None if sibling_of_id is None else _child_id(sibling_of_id, field="siblingOfId"),
        )
        return {"child": child}


class MarkSiblings(ServiceMutation):
    """Put children in one sibling group (merging groups); their placements in one family are flagged."""

    class Meta:
        error_codes = ("invalid_siblings",)

    class Arguments:
        child_ids = graphene.List(graphene.NonNull(graphene.ID), required=True)

    children = graphene.List(graphene.NonNull(types.FosterChild))

    @classmethod
    def perform(cls, info, child_ids):
        ids = decode_ids(child_ids, "FosterChild", field="childIds")
        return {"children": services.mark_siblings(actor(info), ids)}


class SetReintegrationGoal(ServiceMutation):
    class Meta:
        error_codes = ("invalid_goal", "child_not_found")

    class Arguments:
        child_id = graphene.ID(required=True)
        goal = types.ReintegrationGoal(required=True)
        plan = graphene.String()

    child = graphene.Field(types.FosterChild)

    @classmethod
    def perform(cls, info, child_id, goal, plan=""):
        child = services.set_reintegration_goal(actor(info), _child_id(child_id), goal=_v(goal), plan=plan or "")
        return {"child": child}


class PlaceChildInput(graphene.InputObjectType):
    child_id = graphene.ID(required=True)
    family_id = graphene.ID(required=True)
    start_on = graphene.Date(required=True)
    court_order_reference = graphene.String(required=True)
    reason = graphene.String(required=True)
    court = graphene.String()
    family_consents_to_siblings_over_limit = graphene.Boolean(
        description="Needed to place siblings together beyond the family's limit of children."
    )


class PlaceChild(ServiceMutation):
    """Place a child in a foster family within the family kind's limit of children (3; 8 for a family
    children's home; more only for siblings with the family's consent)."""

    class Meta:
        error_codes = (
            "required",
            "child_not_found",
            "family_not_found",
            "family_not_active",
            "already_placed",
            "overlaps_previous",
            "family_home_full",
            "family_full",
        )

    class Arguments:
        input = PlaceChildInput(required=True)

    placement = graphene.Field(types.Placement)

    @classmethod
    def perform(cls, info, input):
        placement = services.place_child(
            actor(info),
            _child_id(input.child_id),
            _family_id(input.family_id),
            start_on=input.start_on,
            court_order_reference=input.court_order_reference,
            reason=input.reason,
            court=input.get("court") or "",
            family_consents_to_siblings_over_limit=bool(input.get("family_consents_to_siblings_over_limit")),
        )
        return {"placement": placement}


class EndPlacement(ServiceMutation):
    """End a placement; unless the child moves to another family, the child leaves foster care."""

    class Meta:
        error_codes = ("invalid_reason", "placement_not_found", "placement_ended", "period_reversed")

    class Arguments:
        placement_id = graphene.ID(required=True)
        end_on = graphene.Date(required=True)
        reason = types.PlacementEndReason(required=True)

    placement = graphene.Field(types.Placement)

    @classmethod
    def perform(cls, info, placement_id, end_on, reason):
        placement = services.end_placement(
            actor(info), decode_id(placement_id, "Placement", field="placementId"), end_on=end_on, reason=_v(reason)
        )
        return {"placement": placement}


class RecordAssessment(ServiceMutation):
    """Record a planned assessment as done; the next one is planned from the center's intervals."""

    class Meta:
        error_codes = (
            "invalid_result",
            "date_in_future",
            "assessment_not_found",
            "assessment_not_planned",
            "before_period",
        )

    class Arguments:
        assessment_id = graphene.ID(required=True)
        performed_on = graphene.Date(required=True)
        result = types.AssessmentResult(required=True)
        conclusions = graphene.String()

    assessment = graphene.Field(types.Assessment)
    next_assessment = graphene.Field(types.Assessment, description="The following one, if the subject stays.")

    @classmethod
    def perform(cls, info, assessment_id, performed_on, result, conclusions=""):
        done, following = services.record_assessment(
            actor(info),
            decode_id(assessment_id, "Assessment", field="assessmentId"),
            performed_on=performed_on,
            result=_v(result),
            conclusions=conclusions or "",
        )
        return {"assessment": done, "next_assessment": following}


# --- meetings with biological parents -------------------------------------------------------------------


def _meeting_id(value):
    return decode_id(value, "ParentMeeting", field="meetingId")


class PlanMeeting(ServiceMutation):
    class Meta:
        error_codes = ("required", "child_not_found", "child_left_care")

    class Arguments:
        child_id = graphene.ID(required=True)
        planned_at = graphene.DateTime(required=True)
        participants = graphene.String(required=True, description="e.g. mother, father")
        place = graphene.String()

    meeting = graphene.Field(types.ParentMeeting)

    @classmethod
    def perform(cls, info, child_id, planned_at, participants, place=""):
        meeting = services.plan_meeting(
            actor(info), _child_id(child_id), planned_at=planned_at, participants=participants, place=place or ""
        )
        return {"meeting": meeting}


class RecordMeetingHeld(ServiceMutation):
    class Meta:
        error_codes = ("meeting_not_found", "meeting_not_planned", "meeting_in_future")

    class Arguments:
        meeting_id = graphene.ID(required=True)
        notes = graphene.String()

    meeting = graphene.Field(types.ParentMeeting)

    @classmethod
    def perform(cls, info, meeting_id, notes=""):
        return {"meeting": services.record_meeting_held(actor(info), _meeting_id(meeting_id), notes=notes or "")}


class CancelMeeting(ServiceMutation):
    class Meta:
        error_codes = ("required", "meeting_not_found", "meeting_not_planned")

    class Arguments:
        meeting_id = graphene.ID(required=True)
        reason = graphene.String(required=True)

    meeting = graphene.Field(types.ParentMeeting)

    @classmethod
    def perform(cls, info, meeting_id, reason):
        return {"meeting": services.cancel_meeting(actor(info), _meeting_id(meeting_id), reason=reason)}


# --- money ------------------------------------------------------------------------------------------------


class AddExpense(ServiceMutation):
    """Money for a child's needs (admission, school, health, holidays, …)."""

    class Meta:
        error_codes = ("invalid_kind", "invalid_amount", "amount_too_large", "child_not_found")

    class Arguments:
        child_id = graphene.ID(required=True)
        kind = types.ChildNeedsExpenseKind(required=True)
        amount = graphene.Decimal(required=True)
        granted_on = graphene.Date(required=True)
        description = graphene.String()
        decision_reference = graphene.String()

    expense = graphene.Field(types.ChildNeedsExpense)

    @classmethod
    def perform(cls, info, child_id, kind, amount, granted_on, description="", decision_reference=""):
        expense = services.add_expense(
            actor(info),
            _child_id(child_id),
            kind=_v(kind),
            amount=amount,
            granted_on=granted_on,
            description=description or "",
            decision_reference=decision_reference or "",
        )
        return {"expense": expense}


class GrantAllowance(ServiceMutation):
    """A monthly maintenance allowance for a period within one placement (periods do not overlap)."""

    class Meta:
        error_codes = (
            "invalid_amount",
            "amount_too_large",
            "period_reversed",
            "child_not_found",
            "no_placement_for_period",
            "allowance_overlap",
        )

    class Arguments:
        child_id = graphene.ID(required=True)
        monthly_amount = graphene.Decimal(required=True)
        period_from = graphene.Date(required=True)
        period_to = graphene.Date(required=True)
        decision_reference = graphene.String()

    allowance = graphene.Field(types.MaintenanceAllowance)

    @classmethod
    def perform(cls, info, child_id, monthly_amount, period_from, period_to, decision_reference=""):
        allowance = services.grant_allowance(
            actor(info),
            _child_id(child_id),
            monthly_amount=monthly_amount,
            period_from=period_from,
            period_to=period_to,
            decision_reference=decision_reference or "",
        )
        return {"allowance": allowance}


# --- leaving care -----------------------------------------------------------------------------------------


class StartLeavingCare(ServiceMutation):
    class Meta:
        error_codes = ("required", "child_not_found", "leaving_care_exists")

    class Arguments:
        child_id = graphene.ID(required=True)
        mentor_name = graphene.String(required=True)
        mentor_contact = graphene.String()
        programme = graphene.String(required=True)
        programme_approved_on = graphene.Date(required=True)
        started_on = graphene.Date(required=True)

    leaving_care = graphene.Field(types.LeavingCare)

    @classmethod
    def perform(cls, info, child_id, mentor_name, programme, programme_approved_on, started_on, mentor_contact=""):
        leaving = services.start_leaving_care(
            actor(info),
            _child_id(child_id),
            mentor_name=mentor_name,
            programme=programme,
            programme_approved_on=programme_approved_on,
            started_on=started_on,
            mentor_contact=mentor_contact or "",
        )
        return {"leaving_care": leaving}


class GrantEducationSupport(ServiceMutation):
    """Help to continue education: from 18, at most until the day before the 25th birthday."""

    class Meta:
        error_codes = (
            "invalid_amount",
            "amount_too_large",
            "period_reversed",
            "required",
            "child_not_found",
            "no_leaving_care",
            "too_young",
            "over_age_limit",
            "support_overlap",
        )

    class Arguments:
        child_id = graphene.ID(required=True)
        school = graphene.String(required=True)
        monthly_amount = graphene.Decimal(required=True)
        period_from = graphene.Date(required=True)
        period_to = graphene.Date(required=True)

    education_support = graphene.Field(types.ContinuingEducationSupport)

    @classmethod
    def perform(cls, info, child_id, school, monthly_amount, period_from, period_to):
        support = services.grant_education_support(
            actor(info),
            _child_id(child_id),
            school=school,
            monthly_amount=monthly_amount,
            period_from=period_from,
            period_to=period_to,
        )
        return {"education_support": support}


# --- irregularity reports ------------------------------------------------------------------------------------


class ReportIrregularity(ServiceMutation):
    """Record a suspected irregularity; notifications of the voivode and the prosecutor are created pending."""

    class Meta:
        error_codes = ("required", "placement_not_found")

    class Arguments:
        placement_id = graphene.ID(required=True)
        reported_on = graphene.Date(required=True)
        description = graphene.String(required=True)
        source = graphene.String()

    report = graphene.Field(types.IrregularityReport)

    @classmethod
    def perform(cls, info, placement_id, reported_on, description, source=""):
        report = services.report_irregularity(
            actor(info),
            decode_id(placement_id, "Placement", field="placementId"),
            reported_on=reported_on,
            description=description,
            source=source or "",
        )
        return {"report": report}


class MarkNotificationSent(ServiceMutation):
    class Meta:
        error_codes = ("required", "notification_not_found", "notification_sent", "before_report")

    class Arguments:
        notification_id = graphene.ID(required=True)
        sent_on = graphene.Date(required=True)
        reference = graphene.String(required=True, description="The letter's reference number.")

    notification = graphene.Field(types.Notification)

    @classmethod
    def perform(cls, info, notification_id, sent_on, reference):
        notification = services.mark_notification_sent(
            actor(info),
            decode_id(notification_id, "Notification", field="notificationId"),
            sent_on=sent_on,
            reference=reference,
        )
        return {"notification": notification}


class CloseIrregularityReport(ServiceMutation):
    """Close a report once every notification has been sent."""

    class Meta:
        error_codes = ("required", "report_not_found", "report_closed", "notification_pending", "before_report")

    class Arguments:
        report_id = graphene.ID(required=True)
        closed_on = graphene.Date(required=True)
        outcome = graphene.String(required=True)

    report = graphene.Field(types.IrregularityReport)

    @classmethod
    def perform(cls, info, report_id, closed_on, outcome):
        report = services.close_irregularity_report(
            actor(info),
            decode_id(report_id, "IrregularityReport", field="reportId"),
            closed_on=closed_on,
            outcome=outcome,
        )
        return {"report": report}


# --- settings -----------------------------------------------------------------------------------------------


class UpdateFosterCareSettingsInput(graphene.InputObjectType):
    child_under_3_interval_months = graphene.Int()
    child_interval_months = graphene.Int()
    family_first_assessment_months = graphene.Int()
    family_second_assessment_months = graphene.Int()
    family_interval_months = graphene.Int()


class UpdateFosterCareSettings(ServiceMutation):
    """Change assessment intervals (months, 1–120); planned assessments' due dates follow."""

    class Meta:
        error_codes = ("unknown_setting", "invalid_interval")

    class Arguments:
        input = UpdateFosterCareSettingsInput(required=True)

    settings = graphene.Field(types.FosterCareSettings)

    @classmethod
    def perform(cls, info, input):
        intervals = {key: value for key, value in input.items() if value is not None}
        return {"settings": services.update_settings(actor(info), **intervals)}


class FosterCareMutations(graphene.ObjectType):
    register_candidate = RegisterCandidate.Field()
    refer_candidate_to_training = ReferCandidateToTraining.Field()
    record_training_completed = RecordTrainingCompleted.Field()
    reject_candidate = RejectCandidate.Field()
    qualify_candidate = QualifyCandidate.Field()
    create_family = CreateFamily.Field()
    add_family_member = AddFamilyMember.Field()
    change_family_status = ChangeFamilyStatus.Field()
    assign_coordinator = AssignCoordinator.Field()
    register_child = RegisterChild.Field()
    mark_siblings = MarkSiblings.Field()
    set_reintegration_goal = SetReintegrationGoal.Field()
    place_child = PlaceChild.Field()
    end_placement = EndPlacement.Field()
    record_assessment = RecordAssessment.Field()
    plan_meeting = PlanMeeting.Field()
    record_meeting_held = RecordMeetingHeld.Field()
    cancel_meeting = CancelMeeting.Field()
    add_expense = AddExpense.Field()
    grant_allowance = GrantAllowance.Field()
    start_leaving_care = StartLeavingCare.Field()
    grant_education_support = GrantEducationSupport.Field()
    report_irregularity = ReportIrregularity.Field()
    mark_notification_sent = MarkNotificationSent.Field()
    close_irregularity_report = CloseIrregularityReport.Field()
    update_foster_care_settings = UpdateFosterCareSettings.Field()
