package briefbot_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
)

// legalFrom restates DOMAIN.md "The life of a matter" independently of the transition
// table: for each action, the states it may be taken from, and where it leads ("" =
// stays in place).
var legalFrom = map[briefbot.Action]map[briefbot.Status]briefbot.Status{
	briefbot.ActionAskSignOff: {"draft": "sign_off"},
	// 签发: of a draft; of one asked for (which submits it); and, for a matter that went
	// out before its sign-off (未签发, matterIn makes every one so), confirming it.
	briefbot.ActionSign: {"draft": "signed", "sign_off": "submitted", "submitted": "", "registered": "", "reviewed": "", "proposed": "",
		"presented": "", "read": "", "instructed": "", "referred": "", "in_progress": "", "completed": ""},
	briefbot.ActionRevise:           {"sign_off": "withdrawn"},
	briefbot.ActionSubmit:           {"draft": "submitted", "signed": "submitted"},
	briefbot.ActionResubmit:         {"returned": "submitted"},
	briefbot.ActionWithdraw:         {"draft": "withdrawn", "sign_off": "withdrawn", "signed": "withdrawn", "submitted": "withdrawn", "returned": "withdrawn"},
	briefbot.ActionRegister:         {"submitted": "registered"},
	briefbot.ActionReturn:           {"submitted": "returned", "registered": "returned", "reviewed": "returned", "proposed": "returned"},
	briefbot.ActionReview:           {"registered": "reviewed"},
	briefbot.ActionPropose:          {"registered": "proposed", "reviewed": "proposed"},
	briefbot.ActionPresent:          {"registered": "presented", "reviewed": "presented", "proposed": "presented"},
	briefbot.ActionRead:             {"submitted": "read", "registered": "read", "reviewed": "read", "proposed": "read", "presented": "read", "read": "read", "instructed": "", "referred": "", "in_progress": ""},
	briefbot.ActionInstruct:         {"submitted": "instructed", "registered": "instructed", "reviewed": "instructed", "proposed": "instructed", "presented": "instructed", "read": "instructed", "instructed": "instructed", "referred": "", "in_progress": "", "completed": ""},
	briefbot.ActionRefer:            {"instructed": "referred"},
	briefbot.ActionProgress:         {"referred": "in_progress", "in_progress": "in_progress"},
	briefbot.ActionRequestExtension: {"referred": "", "in_progress": ""},
	briefbot.ActionGrantExtension:   {"referred": "", "in_progress": ""},
	briefbot.ActionDeclineExtension: {"referred": "", "in_progress": ""},
	briefbot.ActionComplete:         {"referred": "completed", "in_progress": "completed"},
	briefbot.ActionSendBack:         {"completed": "in_progress"},
	briefbot.ActionClose:            {"read": "closed", "instructed": "closed", "completed": "closed"},
	briefbot.ActionArchive:          {"read": "archived", "closed": "archived"},
}

// matterIn returns a report standing in status st with what the actions from st need
// (an assignment, a pending extension request or completion report).
func matterIn(st briefbot.Status, kind briefbot.Kind) *briefbot.Matter {
	m := validReport()
	m.Kind = kind
	m.Status = st
	m.Unsigned = true // went out before its sign-off: a 签发 may confirm it
	m.Number = briefbot.Number{Kind: kind, Year: 2026, Seq: 1}
	m.Instructions = []briefbot.Instruction{{ID: 1, Kind: briefbot.InstructionWritten, Leader: "sun", Text: "请抓紧办理", At: day}}
	switch st {
	case briefbot.StatusReferred, briefbot.StatusInProgress, briefbot.StatusCompleted:
		m.Assignment = &briefbot.Assignment{Lead: "civil", Deadline: day.Add(72 * time.Hour), OriginalDeadline: day.Add(72 * time.Hour), By: "sun", At: day}
		m.Feedback = []briefbot.Feedback{{ID: 1, Kind: briefbot.FeedbackExtension, Department: "civil", By: "zheng", Text: "需要补充调查", At: day, NewDeadline: day.Add(240 * time.Hour), Decision: briefbot.DecisionPending}}
		if st == briefbot.StatusCompleted {
			m.Feedback[0].Decision = briefbot.DecisionGranted
			m.Feedback = append(m.Feedback, briefbot.Feedback{ID: 2, Kind: briefbot.FeedbackCompletion, Department: "civil", By: "zheng", Text: "已办结", At: day, Decision: briefbot.DecisionPending})
		}
	}
	return m
}

// stepFor returns a step carrying everything action needs.
func stepFor(a briefbot.Action) briefbot.Step {
	s := briefbot.Step{Action: a, Actor: "li", At: day.Add(time.Hour), Reason: "理由", Text: "内容"}
	switch a {
	case briefbot.ActionRefer:
		s.Lead, s.Deadline = "civil", day.Add(96*time.Hour)
	case briefbot.ActionRequestExtension:
		s.Deadline = day.Add(480 * time.Hour)
	}
	return s
}

func TestApply_EveryTransition(t *testing.T) {
	for _, a := range briefbot.Actions {
		for _, st := range briefbot.Statuses {
			t.Run(string(a)+"/"+string(st), func(t *testing.T) {
				m := matterIn(st, briefbot.KindReport)
				if a == briefbot.ActionRequestExtension {
					m.Feedback = nil // no extension pending yet
				}
				before := m.Clone()
				err := m.Apply(stepFor(a))
				want, legal := legalFrom[a][st]
				if !legal {
					if got := briefbot.ErrorCode(err); got != briefbot.ECONFLICT || briefbot.ErrorReason(err) != "illegal_transition" {
						t.Fatalf("Apply(%s) from %s = %v; want illegal_transition conflict", a, st, err)
					}
					if !reflect.DeepEqual(m, before) {
						t.Fatalf("a refused step changed the matter")
					}
					return
				}
				if err != nil {
					t.Fatalf("Apply(%s) from %s = %v; want ok", a, st, err)
				}
				if want == "" {
					want = st
				}
				if m.Status != want {
					t.Fatalf("Apply(%s) from %s: status %s; want %s", a, st, m.Status, want)
				}
				last := m.History[len(m.History)-1]
				if last.Action != a || last.From != st || last.To != want || last.Actor != "li" || !last.At.Equal(day.Add(time.Hour)) {
					t.Fatalf("event = %+v; want %s %s->%s by li", last, a, st, want)
				}
				if m.Version != before.Version+1 {
					t.Fatalf("version %d; want %d", m.Version, before.Version+1)
				}
			})
		}
	}
}

func TestApply_EveryActionIsInTheDomainTable(t *testing.T) {
	for _, a := range briefbot.Actions {
		if _, ok := legalFrom[a]; !ok {
			t.Errorf("action %s is not in the domain's table", a)
		}
		if a.Label(briefbot.LangZH) == "" || a.Label(briefbot.LangEN) == "" {
			t.Errorf("action %s has no label", a)
		}
	}
	for _, s := range briefbot.Statuses {
		if s.Label(briefbot.LangZH) == "" || s.Label(briefbot.LangEN) == "" {
			t.Errorf("status %s has no label", s)
		}
	}
}

func TestApply_FilingsMayBeArchivedOnRecord(t *testing.T) {
	for _, st := range []briefbot.Status{briefbot.StatusSubmitted, briefbot.StatusRegistered} {
		m := matterIn(st, briefbot.KindFiling)
		if err := m.Apply(stepFor(briefbot.ActionArchive)); err != nil || m.Status != briefbot.StatusArchived {
			t.Fatalf("archive filing from %s = %v, %s", st, err, m.Status)
		}
		r := matterIn(st, briefbot.KindReport)
		if err := r.Apply(stepFor(briefbot.ActionArchive)); briefbot.ErrorCode(err) != briefbot.ECONFLICT {
			t.Fatalf("archive report from %s = %v; want conflict", st, err)
		}
	}
}

func TestApply_Refusals(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status briefbot.Status
		step   func(*briefbot.Step)
		code   briefbot.Code
	}{
		{"ErrReturnNeedsReason", briefbot.StatusSubmitted, func(s *briefbot.Step) { s.Action, s.Reason = briefbot.ActionReturn, " " }, briefbot.EINVALID},
		{"ErrWithdrawNeedsReason", briefbot.StatusSubmitted, func(s *briefbot.Step) { s.Action, s.Reason = briefbot.ActionWithdraw, "" }, briefbot.EINVALID},
		{"ErrSendBackNeedsReason", briefbot.StatusCompleted, func(s *briefbot.Step) { s.Action, s.Reason = briefbot.ActionSendBack, "" }, briefbot.EINVALID},
		{"ErrInstructNeedsText", briefbot.StatusSubmitted, func(s *briefbot.Step) { s.Action, s.Text = briefbot.ActionInstruct, "" }, briefbot.EINVALID},
		{"ErrProgressNeedsText", briefbot.StatusReferred, func(s *briefbot.Step) { s.Action, s.Text = briefbot.ActionProgress, "" }, briefbot.EINVALID},
		{"ErrNoActor", briefbot.StatusSubmitted, func(s *briefbot.Step) { s.Action, s.Actor = briefbot.ActionRegister, "" }, briefbot.EINVALID},
		{"ErrNoTime", briefbot.StatusSubmitted, func(s *briefbot.Step) { s.Action, s.At = briefbot.ActionRegister, time.Time{} }, briefbot.EINVALID},
		{"ErrReferNoLead", briefbot.StatusInstructed, func(s *briefbot.Step) { s.Action, s.Lead, s.Deadline = briefbot.ActionRefer, "", day.Add(96*time.Hour) }, briefbot.EINVALID},
		{"ErrReferPastDeadline", briefbot.StatusInstructed, func(s *briefbot.Step) { s.Action, s.Lead, s.Deadline = briefbot.ActionRefer, "civil", day }, briefbot.EINVALID},
		{"ErrReferLeadAssists", briefbot.StatusInstructed, func(s *briefbot.Step) {
			s.Action, s.Lead, s.Assisting, s.Deadline = briefbot.ActionRefer, "civil", []briefbot.DepartmentID{"civil"}, day.Add(96*time.Hour)
		}, briefbot.EINVALID},
		{"ErrSecondExtensionWhilePending", briefbot.StatusInProgress, func(s *briefbot.Step) { s.Action, s.Deadline = briefbot.ActionRequestExtension, day.Add(900*time.Hour) }, briefbot.ECONFLICT},
		{"ErrCorrectsUnknown", briefbot.StatusInstructed, func(s *briefbot.Step) { s.Action, s.Corrects = briefbot.ActionInstruct, 9 }, briefbot.EINVALID},
		{"ErrClassifiedInstruction", briefbot.StatusSubmitted, func(s *briefbot.Step) { s.Action, s.Text = briefbot.ActionInstruct, "机密★1年 内容" }, briefbot.EINVALID},
		{"ErrTooLong", briefbot.StatusReferred, func(s *briefbot.Step) {
			s.Action, s.Text = briefbot.ActionProgress, string(make([]rune, briefbot.MaxStepText+1))
		}, briefbot.EINVALID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := matterIn(tc.status, briefbot.KindReport)
			before := m.Clone()
			s := stepFor(briefbot.ActionRegister)
			tc.step(&s)
			err := m.Apply(s)
			if got := briefbot.ErrorCode(err); got != tc.code {
				t.Fatalf("Apply = %v; want code %s", err, tc.code)
			}
			if briefbot.ErrorMessage(err, briefbot.LangZH) == "" || briefbot.ErrorMessage(err, briefbot.LangEN) == "" {
				t.Fatalf("refusal without a message in both languages: %v", err)
			}
			if !reflect.DeepEqual(m, before) {
				t.Fatalf("a refused step changed the matter")
			}
		})
	}
}

func TestApply_InstructionsByLeadersAndOnBehalf(t *testing.T) {
	m := matterIn(briefbot.StatusPresented, briefbot.KindRequest)
	m.Instructions = nil
	if err := m.Apply(briefbot.Step{Action: briefbot.ActionInstruct, Actor: "zhao", At: day, Text: "同意。"}); err != nil {
		t.Fatal(err)
	}
	// A clerk records the second leader's instruction for them (代录), correcting nothing.
	if err := m.Apply(briefbot.Step{Action: briefbot.ActionInstruct, Actor: "qian", OnBehalfOf: "sun", At: day, Text: "请依法妥善处理。"}); err != nil {
		t.Fatal(err)
	}
	// The first leader corrects their instruction with a new entry.
	if err := m.Apply(briefbot.Step{Action: briefbot.ActionInstruct, Actor: "zhao", At: day, Text: "同意，请抓紧。", Corrects: 1}); err != nil {
		t.Fatal(err)
	}
	if got, want := len(m.Instructions), 3; got != want {
		t.Fatalf("instructions = %d; want %d", got, want)
	}
	if in := m.Instructions[1]; in.Leader != "sun" || in.RecordedBy != "qian" {
		t.Fatalf("on-behalf instruction = %+v; want leader sun recorded by qian", in)
	}
	if in := m.Instructions[2]; in.Corrects != 1 || m.Instructions[0].Text != "同意。" {
		t.Fatalf("correction changed the original or lost its reference: %+v", m.Instructions)
	}
	if ev := m.History[len(m.History)-2]; ev.OnBehalfOf != "sun" || ev.Actor != "qian" {
		t.Fatalf("history of the on-behalf step = %+v", ev)
	}
}

func TestApply_ExtensionAndCompletionDecisions(t *testing.T) {
	m := matterIn(briefbot.StatusInProgress, briefbot.KindRequest)
	if err := m.Apply(briefbot.Step{Action: briefbot.ActionGrantExtension, Actor: "li", At: day}); err != nil {
		t.Fatal(err)
	}
	if got, want := m.Assignment.Deadline, day.Add(240*time.Hour); !got.Equal(want) {
		t.Fatalf("deadline after grant = %v; want %v", got, want)
	}
	if m.Feedback[0].Decision != briefbot.DecisionGranted {
		t.Fatalf("extension decision = %s", m.Feedback[0].Decision)
	}
	if err := m.Apply(briefbot.Step{Action: briefbot.ActionDeclineExtension, Actor: "li", At: day, Reason: "x"}); briefbot.ErrorCode(err) != briefbot.ECONFLICT {
		t.Fatalf("deciding twice = %v; want conflict", err)
	}
	for _, a := range []briefbot.Action{briefbot.ActionComplete, briefbot.ActionSendBack, briefbot.ActionComplete, briefbot.ActionClose} {
		if err := m.Apply(briefbot.Step{Action: a, Actor: "li", At: day, Text: "已办结", Reason: "材料不全"}); err != nil {
			t.Fatalf("%s: %v", a, err)
		}
	}
	if m.Status != briefbot.StatusClosed {
		t.Fatalf("status = %s; want closed", m.Status)
	}
	if got := []briefbot.Decision{m.Feedback[1].Decision, m.Feedback[2].Decision}; got[0] != briefbot.DecisionReturned || got[1] != briefbot.DecisionAccepted {
		t.Fatalf("completion decisions = %v; want [returned accepted]", got)
	}
	if err := m.CheckInvariants(); err == nil {
		// matterIn builds a matter without history, so invariants must object.
		t.Fatalf("CheckInvariants accepted a matter whose history does not start at submission")
	}
}

func TestOrg_CanSee(t *testing.T) {
	org := testOrg()
	m := validRequest() // criminal -> party
	for _, st := range []briefbot.Status{briefbot.StatusDraft, briefbot.StatusSignOff, briefbot.StatusSigned} {
		m.Status = st
		if org.CanSee("zhao", m) || org.CanSee("qian", m) || !org.CanSee("zhou", m) {
			t.Errorf("a matter not yet submitted (%s) is the department's alone, its principal included", st)
		}
	}
	m.Status = briefbot.StatusSubmitted
	for _, tc := range []struct {
		who  briefbot.MemberID
		want bool
	}{
		{"wu", true}, {"zhou", true}, {"zhao", true}, {"qian", true},
		{"sun", false}, {"li", false}, {"zheng", false}, {"", false},
	} {
		if got := org.CanSee(tc.who, m); got != tc.want {
			t.Errorf("CanSee(%s) = %v; want %v", tc.who, got, tc.want)
		}
	}
	m.Assignment = &briefbot.Assignment{Lead: "civil"}
	if !org.CanSee("zheng", m) {
		t.Errorf("the assigned department cannot see its assignment")
	}
	m.Restricted = []briefbot.MemberID{"zhao"}
	if org.CanSee("qian", m) || org.CanSee("sun", m) || !org.CanSee("zhao", m) || !org.CanSee("wu", m) {
		t.Errorf("restricted circulation not honoured")
	}
	if !org.CanSee("zhou", m) {
		t.Errorf("the department's principal, who signs it off, cannot see it")
	}
}
