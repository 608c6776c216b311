package bot_test

import (
	"strings"
	"testing"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/blockkit"
	"github.com/briefbot/briefbot/bot"
)

func TestIntakeModal_SubmitsARequest(t *testing.T) {
	f := newFixture(t)
	res := f.submitForm(t, "wu", "request", "V1", requestAnswers())
	if len(res.Errors) != 0 {
		t.Fatalf("errors = %v", res.Errors)
	}
	m, err := f.store.Lookup(ctx, "QS-2026-0001")
	if err != nil {
		t.Fatal(err)
	}
	if m.Title != "关于张某涉黑案公开审理的请示" || m.Department != "criminal" || m.Signatory != "wu" || !m.Delegated || m.Submitter != "wu" ||
		m.Addressee != "party" || !m.Unclassified || m.SignedOn.IsZero() || m.Decision != briefbot.DecisionCollective {
		t.Fatalf("stored = %+v", m)
	}
	ps := f.posts.all()
	if len(ps) != 1 || ps[0].to != "wu" || !strings.Contains(text(ps[0].msg), "QS-2026-0001") || !strings.Contains(text(ps[0].msg), "请示〔2026〕1号") {
		t.Fatalf("receipt = %+v", ps)
	}
	if err := blockkit.Validate(ps[0].msg); err != nil {
		t.Fatal(err)
	}
}

func TestIntakeModal_SubmitsAReportAfterKindSwitch(t *testing.T) {
	f := newFixture(t)
	r := f.bot.Command(ctx, bot.CommandInput{User: as("zheng"), Text: "new", CanOpenModal: true})
	if r.Modal == nil {
		t.Fatal("no modal")
	}
	sw := f.bot.Action(ctx, bot.ActionInput{User: as("zheng"), ActionID: "intake_kind", Value: "report", ViewID: "V9", PrivateMetadata: r.Modal.PrivateMetadata})
	if sw.UpdateView == nil || !strings.Contains(blockTexts(sw.UpdateView.Blocks.BlockSet), `"block_id":"report_type"`) ||
		strings.Contains(blockTexts(sw.UpdateView.Blocks.BlockSet), `"block_id":"requested_item"`) {
		t.Fatalf("kind switch did not rebuild the modal for a report")
	}
	if err := blockkit.ValidateView(*sw.UpdateView); err != nil {
		t.Fatal(err)
	}
	res := f.bot.Submit(ctx, bot.Submission{User: as("zheng"), CallbackID: sw.UpdateView.CallbackID, PrivateMetadata: sw.UpdateView.PrivateMetadata, ViewID: "V9",
		Values: fill(t, *sw.UpdateView, map[string]any{
			briefbot.FieldReportType: "situation", briefbot.FieldTitle: "关于一季度审判执行工作情况的报告", briefbot.FieldBody: "一季度共受理案件1200件。",
			briefbot.FieldAddressee: "pl", briefbot.FieldCopied: []string{"party"}, briefbot.FieldUnclassified: true,
			briefbot.FieldAttachments: "https://oa.example/1\nhttps://oa.example/2",
		})})
	if len(res.Errors) != 0 {
		t.Fatalf("errors = %v", res.Errors)
	}
	m, err := f.store.Lookup(ctx, "BG-2026-0001")
	if err != nil || m.ReportType != briefbot.ReportSituation || len(m.Copied) != 1 || len(m.Attachments) != 2 {
		t.Fatalf("stored = %+v, %v", m, err)
	}
	// English member: the receipt is in English.
	if ps := f.posts.all(); len(ps) != 1 || !strings.Contains(text(ps[0].msg), "was received") {
		t.Fatalf("receipt = %+v", ps)
	}
}

func TestIntakeModal_RefusalsAreInlineAndStoreNothing(t *testing.T) {
	for _, tc := range []struct {
		name  string
		who   briefbot.MemberID
		kind  string
		edit  func(a map[string]any)
		block string
		frag  string
	}{
		{"ErrNoReasons", "wu", "request", func(a map[string]any) { delete(a, briefbot.FieldReasons) }, briefbot.FieldReasons, "理由"},
		{"ErrTwoItems", "wu", "request", func(a map[string]any) { a[briefbot.FieldRequestedItem] = "1. 批准经费\n2. 增加编制" }, briefbot.FieldRequestedItem, "一文一事"},
		{"ErrNotDeclared", "wu", "request", func(a map[string]any) { a[briefbot.FieldUnclassified] = false }, briefbot.FieldUnclassified, "不涉密"},
		{"ErrNoAddressee", "wu", "request", func(a map[string]any) { delete(a, briefbot.FieldAddressee) }, briefbot.FieldAddressee, "只能有一个"},
		{"ErrCopiedAddressee", "wu", "request", func(a map[string]any) { a[briefbot.FieldCopied] = []string{"party"} }, briefbot.FieldCopied, "抄送"},
		{"ErrClassified", "wu", "request", func(a map[string]any) { a[briefbot.FieldReasons] = "机密★1年 XYZZYSECRET" }, briefbot.FieldReasons, "机要渠道"},
		{"ErrBadRelated", "wu", "request", func(a map[string]any) { a[briefbot.FieldRelated] = "QS-2026-0001 nonsense" }, briefbot.FieldRelated, "台账编号"},
		{"ErrMissingRelated", "wu", "request", func(a map[string]any) { a[briefbot.FieldRelated] = "QS-2025-0009" }, briefbot.FieldRelated, "没有 QS-2025-0009"},
		{"ErrPastAnswerBy", "wu", "request", func(a map[string]any) { a[briefbot.FieldAnswerBy] = "2026-03-01" }, briefbot.FieldAnswerBy, "晚于现在"},
		{"ErrSmuggledRequest", "zheng", "report", func(a map[string]any) {
			delete(a, briefbot.FieldRequestedItem)
			delete(a, briefbot.FieldReasons)
			delete(a, briefbot.FieldRecommendation)
			a[briefbot.FieldReportType] = "special"
			a[briefbot.FieldBody] = "以上报告，妥否，请批示。"
		}, briefbot.FieldBody, "separate request"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			a := requestAnswers()
			tc.edit(a)
			res := f.submitForm(t, tc.who, tc.kind, "V1", a)
			if msg, ok := res.Errors[tc.block]; !ok || !strings.Contains(msg, tc.frag) {
				t.Fatalf("errors = %v; want %s mentioning %q", res.Errors, tc.block, tc.frag)
			}
			for _, msg := range res.Errors {
				if strings.Contains(msg, "XYZZY") {
					t.Fatalf("a refusal echoes classified text: %q", msg)
				}
			}
			if n := f.count(t); n != 0 {
				t.Fatalf("%d matters stored after a refusal", n)
			}
			if ps := f.posts.all(); len(ps) != 0 {
				t.Fatalf("a receipt was sent for a refused submission: %+v", ps)
			}
		})
	}
}

func TestIntake_OnlyHeadsMaySubmit(t *testing.T) {
	f := newFixture(t)
	for _, who := range []briefbot.MemberID{"chen", "qian"} {
		r := f.bot.Command(ctx, bot.CommandInput{User: as(who), Text: "new", CanOpenModal: true})
		if r.Modal != nil || r.Message == nil || !strings.Contains(text(*r.Message), "负责人") {
			t.Fatalf("%s: new = %+v; want a refusal", who, r)
		}
	}
}

func TestIntakeModal_RepeatedSubmissionStoresOnce(t *testing.T) {
	f := newFixture(t)
	for range 3 {
		if res := f.submitForm(t, "wu", "request", "V-same", requestAnswers()); len(res.Errors) != 0 {
			t.Fatal(res.Errors)
		}
	}
	if n := f.count(t); n != 1 {
		t.Fatalf("%d matters stored from one view submitted three times", n)
	}
	// Slack repeating a submission (a late ack) is answered by closing the form: the
	// submitter gets their one receipt, no note per repeat.
	ps := f.posts.all()
	if len(ps) != 1 || !strings.Contains(text(ps[0].msg), "QS-2026-0001") {
		t.Fatalf("one receipt expected, got %+v", ps)
	}
}

func TestUnknownUserIsRefusedAndNothingStored(t *testing.T) {
	f := newFixture(t)
	stranger := bot.User{SlackID: "UNOBODY"}
	for _, r := range []bot.Response{
		f.bot.Command(ctx, bot.CommandInput{User: stranger, Text: "new", CanOpenModal: true}),
		f.bot.DM(ctx, bot.CommandInput{User: stranger, Text: "list"}),
		f.bot.Action(ctx, bot.ActionInput{User: stranger, ActionID: "status", Value: "QS-2026-0001"}),
	} {
		if r.Modal != nil || r.Message == nil || !strings.Contains(text(*r.Message), "联系管理员") {
			t.Fatalf("stranger got %+v", r)
		}
	}
	res := f.bot.Submit(ctx, bot.Submission{User: stranger, CallbackID: "intake", ViewID: "V1"})
	if len(res.Errors) == 0 {
		t.Fatalf("a stranger's submission was accepted")
	}
	if n := f.count(t); n != 0 {
		t.Fatalf("stored %d matters for a stranger", n)
	}
	home := f.bot.Home(ctx, stranger)
	if !strings.Contains(blockTexts(home), "联系管理员") {
		t.Fatalf("stranger's home = %s", blockTexts(home))
	}
	_ = briefbot.Filter{}
}

// TestIntake_UnansweredRequestGetsTheAnswerLimit: a request submitted without an
// answer deadline gets the configured limit, so it is chased when due.
func TestIntake_UnansweredRequestGetsTheAnswerLimit(t *testing.T) {
	f := newFixture(t) // 2026-03-02 (Monday) 10:00
	f.submitForm(t, "wu", "request", "V1", requestAnswers())
	m, _ := f.store.Lookup(ctx, "QS-2026-0001")
	if got := m.AnswerBy.Format("2006-01-02 15:04"); got != "2026-03-07 18:00" { // 5 calendar days: no calendar configured here
		t.Fatalf("answer by = %s", got)
	}
}

// TestIntake_LevelSkip: where 越级 is allowed the form asks for the body passed over and
// the reason, copies that body, and shows both on the card; where it is not, the form
// does not ask, and a skip is refused.
func TestIntake_LevelSkip(t *testing.T) {
	r := testRules()
	r.Intake.AllowLevelSkip = true
	f := newFixtureWith(t, r)
	a := requestAnswers()
	a[briefbot.FieldAddressee], a[briefbot.FieldSkippedBody] = "pl", "party"
	if res := f.submitForm(t, "wu", "request", "V1", a); res.Errors[briefbot.FieldLevelSkip] == "" {
		t.Fatalf("a skip without its reason: %+v", res)
	}
	a[briefbot.FieldLevelSkip] = "事态紧急，需直接报告政法委"
	if res := f.submitForm(t, "wu", "request", "V2", a); len(res.Errors) != 0 {
		t.Fatalf("a skip done right: %+v", res.Errors)
	}
	m, err := f.store.Lookup(ctx, "QS-2026-0001")
	if err != nil || !m.LevelSkip || m.SkippedBody != "party" || len(m.Copied) != 1 || m.Copied[0] != "party" {
		t.Fatalf("stored = %+v %v", m, err)
	}
	if card := text(cmd(f, "sun", "status QS-2026-0001")); !strings.Contains(card, "越级报送：越过 党组") || !strings.Contains(card, "事态紧急") {
		t.Fatalf("the card:\n%s", card)
	}
	// Not allowed: not asked.
	g := newFixture(t)
	r2 := g.bot.Command(ctx, bot.CommandInput{User: as("wu"), Text: "new request", CanOpenModal: true})
	if strings.Contains(blockTexts(r2.Modal.Blocks.BlockSet), briefbot.FieldSkippedBody) {
		t.Fatal("the form asks for a level skip where none is allowed")
	}
}
