package briefbot

import (
	"time"
)

// Kind is what a matter is: exactly one of request, report or filing, never a hybrid.
type Kind string

// The three kinds of matter.
const (
	KindRequest Kind = "request" // 请示: asks the committee to decide ONE thing
	KindReport  Kind = "report"  // 报告: tells the committee; asks nothing
	KindFiling  Kind = "filing"  // 报备: for the record; needs no answer
)

// Kinds lists every kind in display order.
var Kinds = []Kind{KindRequest, KindReport, KindFiling}

// Valid reports whether k is one of the three kinds.
func (k Kind) Valid() bool { return k == KindRequest || k == KindReport || k == KindFiling }

// Prefix is the ledger-number prefix of the kind: QS, BG or BB.
func (k Kind) Prefix() string {
	switch k {
	case KindRequest:
		return "QS"
	case KindReport:
		return "BG"
	case KindFiling:
		return "BB"
	}
	return ""
}

// Label is the kind's name for users.
func (k Kind) Label(lang Lang) string { return kindLabels[k].In(lang) }

// ReportType is the subtype of a report.
type ReportType string

// Report subtypes (DOMAIN.md "What a matter is").
const (
	ReportPeriodic  ReportType = "periodic"  // 定期报告
	ReportSpecial   ReportType = "special"   // 专题报告
	ReportSituation ReportType = "situation" // 情况报告
	ReportPriority  ReportType = "priority"  // 要情专报: urgent incidents, escalated at once
	ReportFollowUp  ReportType = "follow_up" // 续报: follows an earlier report
	ReportAssigned  ReportType = "assigned"  // 交办事项报告: report on an assigned task
)

// ReportTypes lists every report subtype in display order.
var ReportTypes = []ReportType{ReportPeriodic, ReportSpecial, ReportSituation, ReportPriority, ReportFollowUp, ReportAssigned}

// Valid reports whether t is a known report subtype.
func (t ReportType) Valid() bool { _, ok := reportTypeLabels[t]; return ok }

// Label is the subtype's name for users.
func (t ReportType) Label(lang Lang) string { return reportTypeLabels[t].In(lang) }

// Urgency is 紧急程度.
type Urgency string

// Urgencies. The zero value is ordinary.
const (
	UrgencyOrdinary    Urgency = "ordinary"     // 平件
	UrgencyUrgent      Urgency = "urgent"       // 加急
	UrgencyExtraUrgent Urgency = "extra_urgent" // 特急
)

// Urgencies lists every urgency from least to most urgent.
var Urgencies = []Urgency{UrgencyOrdinary, UrgencyUrgent, UrgencyExtraUrgent}

// Valid reports whether u is a known urgency.
func (u Urgency) Valid() bool { _, ok := urgencyLabels[u]; return ok }

// Label is the urgency's name for users.
func (u Urgency) Label(lang Lang) string { return urgencyLabels[u].In(lang) }

// DecisionMethod is how the submitting unit decided to submit (集体研究 / 传批审定).
type DecisionMethod string

// Decision methods.
const (
	DecisionCollective DecisionMethod = "collective" // 集体研究
	DecisionCirculated DecisionMethod = "circulated" // 传批审定
)

// DecisionMethods lists every decision method.
var DecisionMethods = []DecisionMethod{DecisionCollective, DecisionCirculated}

// Valid reports whether d is a known decision method.
func (d DecisionMethod) Valid() bool { return d == DecisionCollective || d == DecisionCirculated }

// Label is the method's name for users.
func (d DecisionMethod) Label(lang Lang) string { return decisionLabels[d].In(lang) }

// Matter is one major matter in the ledger: a request, a report or a filing, with its
// whole life. A Matter value is a snapshot; change it only through Apply, which keeps
// History, Status and Version in step.
type Matter struct {
	ID     uint64 `json:"id"`              // store-assigned, increasing; 0 until stored
	Number Number `json:"number,omitzero"` // ledger number; zero until submitted
	Kind   Kind   `json:"kind"`

	ReportType ReportType `json:"report_type,omitempty"` // reports only
	FollowUpOf Number     `json:"follow_up_of,omitzero"` // follow-up reports: the first report

	Title string `json:"title"`
	Body  string `json:"body,omitempty"`

	// Requests only: the one matter requested, the reasons and the unit's recommendation.
	RequestedItem  string `json:"requested_item,omitempty"`
	Reasons        string `json:"reasons,omitempty"`
	Recommendation string `json:"recommendation,omitempty"`

	Department DepartmentID `json:"department"` // the submitting department: the sender is a unit
	Submitter  MemberID     `json:"submitter"`
	Signatory  MemberID     `json:"signatory,omitempty"` // 签发人: the principal, or a delegate (授权签发)
	SignedOn   time.Time    `json:"signed_on,omitzero"`  // 成文日期: when it was signed off
	Delegated  bool         `json:"delegated,omitempty"` // 授权签发: signed by a head the principal delegated to
	// Unsigned marks a matter that went out before its sign-off (未签发): an urgent
	// report or 特急 matter from a head, reported first and signed after.
	Unsigned bool           `json:"unsigned,omitempty"`
	Decision DecisionMethod `json:"decision,omitempty"`
	Urgency  Urgency        `json:"urgency,omitempty"`

	Addressee CommitteeID   `json:"addressee"`        // 主送: exactly one committee
	Copied    []CommitteeID `json:"copied,omitempty"` // 抄送: committees

	Category    string    `json:"category,omitempty"`
	AnswerBy    time.Time `json:"answer_by,omitzero"` // answer deadline for requests
	Related     []Number  `json:"related,omitempty"`
	Attachments []string  `json:"attachments,omitempty"` // links
	Files       []File    `json:"files,omitempty"`       // attached documents, kept in the file store

	Unclassified    bool        `json:"unclassified"`         // submitter declared the content unclassified
	Restricted      []MemberID  `json:"restricted,omitempty"` // 限定知悉范围: only these may see it
	LevelSkip       bool        `json:"level_skip,omitempty"` // 越级
	LevelSkipReason string      `json:"level_skip_reason,omitempty"`
	SkippedBody     CommitteeID `json:"skipped_body,omitempty"` // 越级: the body passed over, copied (抄送)

	Status      Status    `json:"status"`
	Version     int       `json:"version"` // incremented by every applied step
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	SubmittedAt time.Time `json:"submitted_at,omitzero"`

	Instructions []Instruction `json:"instructions,omitempty"`
	Assignment   *Assignment   `json:"assignment,omitempty"`
	Feedback     []Feedback    `json:"feedback,omitempty"`
	History      []Event       `json:"history"`
}

// Urgent reports whether the matter must reach leaders at once: extra urgent, or a
// priority report (要情专报).
func (m *Matter) Urgent() bool {
	return m.Urgency == UrgencyExtraUrgent || (m.Kind == KindReport && m.ReportType == ReportPriority)
}

// DueAt is the deadline the matter currently runs against, or the zero time if none:
// the answer deadline while a request awaits instruction, the handling deadline (with
// any granted extension) while an assignment is being carried out.
func (m *Matter) DueAt() time.Time {
	switch {
	case m.Status.AwaitingInstruction():
		if m.Kind == KindRequest {
			return m.AnswerBy
		}
	case m.Status == StatusReferred || m.Status == StatusInProgress:
		if m.Assignment != nil {
			return m.Assignment.Deadline
		}
	}
	return time.Time{}
}

// Overdue reports whether the matter's current deadline has passed at now.
func (m *Matter) Overdue(now time.Time) bool {
	d := m.DueAt()
	return !d.IsZero() && now.After(d)
}

// VisibleTo reports whether the restricted-circulation list lets id see the matter.
// An unrestricted matter is visible to everyone (roles are checked elsewhere).
func (m *Matter) VisibleTo(id MemberID) bool {
	if len(m.Restricted) == 0 {
		return true
	}
	for _, r := range m.Restricted {
		if r == id {
			return true
		}
	}
	return false
}

// Clone returns a deep copy of m, so a caller may change it without touching m.
func (m *Matter) Clone() *Matter {
	c := *m
	c.Copied = append([]CommitteeID(nil), m.Copied...)
	c.Related = append([]Number(nil), m.Related...)
	c.Attachments = append([]string(nil), m.Attachments...)
	c.Files = append([]File(nil), m.Files...)
	c.Restricted = append([]MemberID(nil), m.Restricted...)
	c.Instructions = append([]Instruction(nil), m.Instructions...)
	c.Feedback = append([]Feedback(nil), m.Feedback...)
	c.History = append([]Event(nil), m.History...)
	if m.Assignment != nil {
		a := *m.Assignment
		a.Assisting = append([]DepartmentID(nil), m.Assignment.Assisting...)
		c.Assignment = &a
	}
	return &c
}

// InstructionKind tells a written instruction from a read-and-initialled mark.
type InstructionKind string

// Instruction kinds.
const (
	InstructionRead    InstructionKind = "read"     // 圈阅: read and agreed
	InstructionWritten InstructionKind = "instruct" // 批示: written instruction
)

// Instruction is one leader's 批示 or 圈阅 on a matter. It is never edited: a correction
// is a new Instruction whose Corrects names the earlier one.
type Instruction struct {
	ID         int             `json:"id"` // 1, 2, ... within the matter
	Kind       InstructionKind `json:"kind"`
	Leader     MemberID        `json:"leader"`
	RecordedBy MemberID        `json:"recorded_by,omitempty"` // the clerk who recorded it on the leader's behalf (代录)
	Text       string          `json:"text,omitempty"`
	At         time.Time       `json:"at"`
	Corrects   int             `json:"corrects,omitempty"` // ID of the instruction this one corrects
}

// Action is the step that records an instruction of this kind.
func (k InstructionKind) Action() Action {
	if k == InstructionRead {
		return ActionRead
	}
	return ActionInstruct
}

// Assignment is the referral of an instructed matter for handling (转办/交办).
type Assignment struct {
	Lead             DepartmentID   `json:"lead"`                // 主办
	Assisting        []DepartmentID `json:"assisting,omitempty"` // 协办
	Deadline         time.Time      `json:"deadline"`            // current handling deadline
	OriginalDeadline time.Time      `json:"original_deadline"`   // as first set
	By               MemberID       `json:"by"`
	At               time.Time      `json:"at"`
}

// Units lists the lead unit, then the assisting units.
func (a *Assignment) Units() []DepartmentID {
	return append([]DepartmentID{a.Lead}, a.Assisting...)
}

// FeedbackKind is the kind of an implementation-feedback entry.
type FeedbackKind string

// Feedback kinds.
const (
	FeedbackProgress   FeedbackKind = "progress"   // 落实反馈
	FeedbackExtension  FeedbackKind = "extension"  // 延期申请
	FeedbackCompletion FeedbackKind = "completion" // 办结报告
)

// Decision is what became of an extension request or a completion report.
type Decision string

// Decisions. Progress reports carry none.
const (
	DecisionPending  Decision = "pending"
	DecisionGranted  Decision = "granted"  // extension granted
	DecisionDeclined Decision = "declined" // extension declined
	DecisionAccepted Decision = "accepted" // completion accepted: closed out
	DecisionReturned Decision = "returned" // completion sent back (退办)
)

// Feedback is one entry the handling department reports on an assignment.
type Feedback struct {
	ID           int          `json:"id"`
	Kind         FeedbackKind `json:"kind"`
	Department   DepartmentID `json:"department"`
	By           MemberID     `json:"by"`
	Text         string       `json:"text"`
	At           time.Time    `json:"at"`
	NewDeadline  time.Time    `json:"new_deadline,omitzero"` // extension requests
	Decision     Decision     `json:"decision,omitempty"`
	DecidedBy    MemberID     `json:"decided_by,omitempty"`
	DecidedAt    time.Time    `json:"decided_at,omitzero"`
	DecisionNote string       `json:"decision_note,omitempty"`
}

// Event is one step in a matter's history: which transition, from which state to which,
// by whom (and on whose behalf), when and why.
type Event struct {
	Seq        int       `json:"seq"`
	Action     Action    `json:"action"`
	From       Status    `json:"from,omitempty"`
	To         Status    `json:"to"`
	Actor      MemberID  `json:"actor"`
	OnBehalfOf MemberID  `json:"on_behalf_of,omitempty"`
	At         time.Time `json:"at"`
	Reason     string    `json:"reason,omitempty"`
	Ref        int       `json:"ref,omitempty"` // the instruction or feedback entry the event made
}
