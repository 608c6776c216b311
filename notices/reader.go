// Package notices is what the bot says on its own: receipts, alerts, instructions told
// to departments, reports told to those who decide, decisions, drafts (rendered from
// the notices a change records, when they are delivered), and briefings at their
// slots, monthly reports, reminders of deadlines and calendar warnings (composed and
// put in the outbox by the Producer). Messages are Block Kit values (package blockkit)
// in each reader's language; the buttons they carry are the bot's to answer.
package notices

import (
	"fmt"
	"strings"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/blockkit"
)

// Action IDs of the buttons the bot's messages carry that are not steps. A step's
// button carries the step's briefbot.Action as its action ID and the ledger number as
// its value.
const (
	ActionStatus          = "status"           // the matter's card; value: ledger number
	ActionSubmitDraft     = "submit_draft"     // value: "draft:<id>"
	ActionApproveBriefing = "approve_briefing" // value: the dispatch id
)

// StepActions are the steps a button may carry, in the order buttons show them.
var StepActions = []briefbot.Action{
	briefbot.ActionInstruct, briefbot.ActionRead,
	briefbot.ActionProgress, briefbot.ActionRequestExtension, briefbot.ActionComplete,
	briefbot.ActionGrantExtension, briefbot.ActionDeclineExtension, briefbot.ActionClose, briefbot.ActionSendBack,
}

// Department-side and decision steps, as notices offer them.
var (
	reportSteps   = []briefbot.Action{briefbot.ActionProgress, briefbot.ActionRequestExtension, briefbot.ActionComplete}
	decisionSteps = []briefbot.Action{briefbot.ActionGrantExtension, briefbot.ActionDeclineExtension, briefbot.ActionClose, briefbot.ActionSendBack}
)

// Reader is who a message is for: a member (nil for a channel), the rules in force, the
// language they read and the time it is rendered at. Rendering functions are methods
// of it, plain functions of their inputs.
type Reader struct {
	Rules *briefbot.Rules
	Me    *briefbot.Member // nil: a channel's readers
	Lang  briefbot.Lang
	Now   time.Time
}

// For is the reader member (nil for a channel, which reads the house language).
func For(r *briefbot.Rules, member *briefbot.Member, now time.Time) *Reader {
	return &Reader{Rules: r, Me: member, Lang: r.LangOf(member), Now: now}
}

// T is t in the reader's language, formatted with args.
func (r *Reader) T(t briefbot.Text, args ...any) string { return t.Format(r.Lang, args...) }

func (r *Reader) id() briefbot.MemberID {
	if r.Me == nil {
		return ""
	}
	return r.Me.ID
}

// Member is a member's name.
func (r *Reader) Member(id briefbot.MemberID) string { return r.Rules.Org.MemberNameIn(id, r.Lang) }

// Dept is a department's name in the reader's language.
func (r *Reader) Dept(id briefbot.DepartmentID) string {
	return r.Rules.Org.DepartmentName(id, r.Lang)
}

// Committee is a committee's name in the reader's language.
func (r *Reader) Committee(id briefbot.CommitteeID) string {
	return r.Rules.Org.CommitteeName(id, r.Lang)
}

// Depts lists departments' names.
func (r *Reader) Depts(ids []briefbot.DepartmentID) string {
	var ns []string
	for _, id := range ids {
		ns = append(ns, r.Dept(id))
	}
	return r.Join(ns)
}

// Committees lists committees' names.
func (r *Reader) Committees(ids []briefbot.CommitteeID) string {
	var ns []string
	for _, id := range ids {
		ns = append(ns, r.Committee(id))
	}
	return r.Join(ns)
}

// Join lists names as the language does (、 or commas), "none" for none.
func (r *Reader) Join(ss []string) string {
	if len(ss) == 0 {
		return r.T(msgNone)
	}
	if r.Lang == briefbot.LangEN {
		return strings.Join(ss, ", ")
	}
	return strings.Join(ss, "、")
}

// Date is t's date in the rules' zone ("" for none).
func (r *Reader) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(r.Rules.Loc()).Format("2006-01-02")
}

// DateTime is t in the rules' zone, to the minute ("" for none).
func (r *Reader) DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(r.Rules.Loc()).Format("2006-01-02 15:04")
}

// KindLabel is the kind with the report subtype, e.g. 报告（情况报告）.
func (r *Reader) KindLabel(m *briefbot.Matter) string {
	s := m.Kind.Label(r.Lang)
	if m.Kind == briefbot.KindReport && m.ReportType != "" {
		if r.Lang == briefbot.LangEN {
			return m.ReportType.Label(r.Lang)
		}
		s += "（" + m.ReportType.Label(r.Lang) + "）"
	}
	return s
}

// Status is m's state, marked when its deadline has passed.
func (r *Reader) Status(m *briefbot.Matter) string {
	s := m.Status.Label(r.Lang)
	if m.Overdue(r.Now) {
		s += " ⚠️ " + r.T(msgOverdueMark)
	}
	return s
}

// None is the word for "none" in the reader's language.
func (r *Reader) None() string { return r.T(msgNone) }

// Title is m's title on one line, cut for a message, escaped.
func Title(m *briefbot.Matter) string { return titleText(m.Title) }

func titleText(title string) string {
	return blockkit.Escape(blockkit.Cut(blockkit.OneLine(title), 200, "…"))
}

// StepLabel is the label of a step's button.
func (r *Reader) StepLabel(a briefbot.Action) string {
	switch a {
	case briefbot.ActionRequestExtension:
		return r.T(msgButtonExtend)
	case briefbot.ActionComplete:
		return r.T(msgButtonComplete)
	}
	return a.Label(r.Lang)
}

// Details is the button that opens m's card.
func (r *Reader) Details(m *briefbot.Matter) blockkit.Block {
	return blockkit.Button(r.T(DetailsLabel), ActionStatus, Value(m))
}

// Value is what a button about m carries: its ledger number, or "#<id>" while it has
// none (a draft, a matter awaiting sign-off).
func Value(m *briefbot.Matter) string {
	if m.Number.IsZero() {
		return fmt.Sprintf("#%d", m.ID)
	}
	return m.Number.String()
}

// DetailsLabel is the label of the button that opens a matter's card.
var DetailsLabel = msgButtonStatus

// Steps are the buttons of those of actions the reader may take on m now: as
// themselves (Rules.Can), or, for 批示 and 圈阅, as a clerk recording for a leader.
func (r *Reader) Steps(m *briefbot.Matter, actions ...briefbot.Action) []blockkit.Block {
	var bs []blockkit.Block
	for _, a := range actions {
		if r.Rules.Can(r.id(), m, a, r.Now) || ((a == briefbot.ActionInstruct || a == briefbot.ActionRead) && len(r.Rules.CanRecordFor(r.id(), m, a)) > 0) {
			bs = append(bs, blockkit.Button(r.StepLabel(a), string(a), Value(m)))
		}
	}
	return bs
}

// Buttons is an actions block: m's details and the steps of actions the reader may take.
func (r *Reader) Buttons(m *briefbot.Matter, actions ...briefbot.Action) blockkit.Block {
	return blockkit.Actions(append([]blockkit.Block{r.Details(m)}, r.Steps(m, actions...)...)...)
}

// ListItem is one matter as a line in a list, with a button: its details, or for a
// member's draft the head's button to submit it.
func (r *Reader) ListItem(s *briefbot.Summary) blockkit.Block {
	m := s.Matter()
	urg := ""
	if m.Urgency == briefbot.UrgencyUrgent || m.Urgency == briefbot.UrgencyExtraUrgent {
		urg = "〔" + m.Urgency.Label(r.Lang) + "〕"
	}
	num := m.Number.String()
	if num == "" { // a member's draft: no ledger number until a head submits it
		num = m.Status.Label(r.Lang)
	}
	line := fmt.Sprintf("*%s* %s%s\n%s · %s · %s", num, urg, Title(m), blockkit.Escape(r.Dept(m.Department)), r.KindLabel(m), m.Status.Label(r.Lang))
	if d := m.DueAt(); !d.IsZero() {
		line += " · " + r.Date(d)
		if m.Overdue(r.Now) {
			line += " ⚠️ " + r.T(msgOverdueMark)
		}
	}
	if m.Number.IsZero() {
		return blockkit.SectionWith(line, blockkit.Button(r.T(msgButtonDraft), ActionSubmitDraft, fmt.Sprintf("draft:%d", m.ID)))
	}
	return blockkit.SectionWith(line, r.Details(m))
}

// ListLine is ListItem as one line of plain fallback text.
func ListLine(s *briefbot.Summary) string { return s.Number.String() + " " + titleText(s.Title) }

// Assignment is the line of m's referral: lead, assisting units, deadline.
func (r *Reader) Assignment(a *briefbot.Assignment) string {
	return blockkit.Escape(r.T(msgAssignment, r.Dept(a.Lead), r.Depts(a.Assisting), r.Date(a.Deadline)))
}

// Who names the leader of an instruction, and the clerk who recorded it (代录).
func (r *Reader) Who(leader, recordedBy briefbot.MemberID) string {
	who := r.Member(leader)
	if recordedBy != "" && recordedBy != leader {
		who += "（" + r.T(msgOnBehalf, r.Member(recordedBy)) + "）"
	}
	return who
}
