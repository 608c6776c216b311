package briefbot_test

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
)

func testRules() *briefbot.Rules {
	return &briefbot.Rules{Org: *testOrg(), Intake: briefbot.DefaultIntakeRules(), FollowThrough: briefbot.DefaultFollowThrough()}
}

// submitted is the valid request as stored: submitted, numbered.
func submitted() *briefbot.Matter {
	m := validRequest()
	m.ID = 7
	if err := m.Apply(briefbot.Step{Action: briefbot.ActionSubmit, Actor: "wu", At: day}); err != nil {
		panic(err)
	}
	m.Number = briefbot.Number{Kind: briefbot.KindRequest, Year: 2026, Seq: 7}
	return m
}

func take(t *testing.T, r *briefbot.Rules, m *briefbot.Matter, steps ...briefbot.Step) (*briefbot.Matter, []*briefbot.Dispatch, error) {
	t.Helper()
	before := m.Clone()
	after, tell, err := r.Take(steps...)(m)
	if !reflect.DeepEqual(m, before) {
		t.Fatalf("Take changed the matter it was given")
	}
	return after, tell, err
}

func TestTake_AuthorisesEveryStepWhereItIsApplied(t *testing.T) {
	r := testRules()
	at := day.Add(time.Hour)
	for _, tc := range []struct {
		name string
		step briefbot.Step
		code briefbot.Code
	}{
		{"OK/LeaderInstructs", briefbot.Step{Action: briefbot.ActionInstruct, Actor: "zhao", At: at, Text: "同意"}, ""},
		{"OK/ClerkRecordsForLeader", briefbot.Step{Action: briefbot.ActionInstruct, Actor: "qian", OnBehalfOf: "zhao", At: at, Text: "同意"}, ""},
		{"ErrClerkInstructsInOwnName", briefbot.Step{Action: briefbot.ActionInstruct, Actor: "qian", At: at, Text: "同意"}, briefbot.EFORBIDDEN},
		{"ErrClerkRecordsForAnotherCommitteesLeader", briefbot.Step{Action: briefbot.ActionInstruct, Actor: "qian", OnBehalfOf: "sun", At: at, Text: "同意"}, briefbot.EFORBIDDEN},
		{"ErrDepartmentInstructs", briefbot.Step{Action: briefbot.ActionInstruct, Actor: "wu", At: at, Text: "同意"}, briefbot.EFORBIDDEN},
		{"ErrOutsiderIsNotTold", briefbot.Step{Action: briefbot.ActionInstruct, Actor: "sun", At: at, Text: "同意"}, briefbot.ENOTFOUND},
		{"ErrClerkWithdraws", briefbot.Step{Action: briefbot.ActionWithdraw, Actor: "qian", At: at, Reason: "撤回"}, briefbot.EFORBIDDEN},
		{"OK/HeadWithdraws", briefbot.Step{Action: briefbot.ActionWithdraw, Actor: "zhou", At: at, Reason: "情况有变"}, ""},
		{"ErrIllegal", briefbot.Step{Action: briefbot.ActionClose, Actor: "qian", At: at}, briefbot.ECONFLICT},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := take(t, r, submitted(), tc.step)
			if got := briefbot.ErrorCode(err); got != tc.code {
				t.Fatalf("Take = %v; want code %q", err, tc.code)
			}
			if err != nil && (briefbot.ErrorMessage(err, briefbot.LangZH) == "" || briefbot.ErrorMessage(err, briefbot.LangEN) == "") {
				t.Fatalf("a refusal without a message in both languages: %v", err)
			}
		})
	}
}

func TestTake_InstructionAndReferralTellTheDepartment(t *testing.T) {
	r := testRules()
	at := day.Add(time.Hour)
	m, tell, err := take(t, r, submitted(),
		briefbot.Step{Action: briefbot.ActionInstruct, Actor: "qian", OnBehalfOf: "zhao", At: at, Text: "请刑庭办理"},
		briefbot.Step{Action: briefbot.ActionRefer, Actor: "qian", OnBehalfOf: "zhao", At: at, Lead: "criminal"})
	if err != nil {
		t.Fatal(err)
	}
	if m.Status != briefbot.StatusReferred || m.Instructions[0].Leader != "zhao" || m.Instructions[0].RecordedBy != "qian" {
		t.Fatalf("after = %s %+v", m.Status, m.Instructions)
	}
	// No deadline given: the default for an ordinary matter, ten working days (calendar
	// days here: no calendar), at the end of the day.
	if got, want := m.Assignment.Deadline, time.Date(2026, 3, 12, 18, 0, 0, 0, briefbot.DefaultLocation()); !got.Equal(want) {
		t.Fatalf("deadline = %v; want %v", got, want)
	}
	if len(tell) != 1 || tell[0].Notice.Kind != briefbot.NoticeInstruction || tell[0].Notice.Event != 2 {
		t.Fatalf("tell = %+v", tell)
	}
	var to []briefbot.MemberID
	for _, p := range tell[0].Parts {
		to = append(to, p.To.Member)
		if p.InReceipt != (p.To.Member == "wu") {
			t.Fatalf("only the submitter's notice threads under the receipt: %+v", p)
		}
	}
	if !slices.Equal(to, []briefbot.MemberID{"wu", "zhou", "qian"}) {
		t.Fatalf("told %v; want the submitter, the principal (the lead unit's heads) and the committee's clerk", to)
	}
}

func TestTake_ReadTwiceIsOnce(t *testing.T) {
	r := testRules()
	m, _, err := take(t, r, submitted(), briefbot.Step{Action: briefbot.ActionRead, Actor: "zhao", At: day})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := take(t, r, m, briefbot.Step{Action: briefbot.ActionRead, Actor: "zhao", At: day}); briefbot.ErrorReason(err) != briefbot.ReasonAlreadyActed {
		t.Fatalf("a second 圈阅 = %v; want already acted", err)
	}
	if r.Can("zhao", m, briefbot.ActionRead, day) {
		t.Fatalf("Can offers a 圈阅 already made")
	}
}

func TestTake_RestrictedMatterToldOnlyToItsList(t *testing.T) {
	r := testRules()
	m := submitted()
	m.Restricted = []briefbot.MemberID{"zhao", "qian"}
	_, tell, err := take(t, r, m, briefbot.Step{Action: briefbot.ActionInstruct, Actor: "zhao", At: day, Text: "同意"})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range tell[0].Parts {
		if p.To.Member != "wu" && p.To.Member != "zhou" { // the submitter and the signatory always see it
			t.Fatalf("%s was told of a matter off their list", p.To.Member)
		}
	}
}

func TestSubmission_ReceiptAndAlert(t *testing.T) {
	r := testRules()
	r.Org.Committees[0].Channel = "CPARTY"
	m := validRequest()
	if tell := r.Submission(m); len(tell) != 1 || tell[0].Kind != briefbot.DispatchReceipt || tell[0].Parts[0].To != briefbot.ToMember("wu") {
		t.Fatalf("an ordinary matter: %+v", tell)
	}
	m.Urgency = briefbot.UrgencyExtraUrgent
	tell := r.Submission(m)
	if len(tell) != 2 || tell[1].Kind != briefbot.DispatchAlert || !tell[1].Parts[0].To.IsCommittee() || tell[1].Parts[1].To != briefbot.ToMember("zhao") {
		t.Fatalf("an urgent matter: %+v", tell)
	}
}
