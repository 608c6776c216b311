package bot_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/blockkit"
	"github.com/briefbot/briefbot/bot"
)

// dm sends one DM line as who and returns the bot's reply text.
func dm(f *fixture, who briefbot.MemberID, line string) string {
	r := f.bot.DM(ctx, bot.CommandInput{User: as(who), Text: line})
	if r.Message == nil {
		return ""
	}
	return text(*r.Message)
}

// turn is one answer of a DM conversation: the question it answers (a fragment the
// bot's reply before it must contain) and what the member says.
type turn struct{ asks, say string }

// converse runs script as who and returns the bot's replies, one per turn. Each reply
// is checked against Slack's limits, and must ask the next turn's question.
func converse(t *testing.T, f *fixture, who briefbot.MemberID, script []turn) []string {
	t.Helper()
	var replies []string
	prev := ""
	for i, s := range script {
		if !strings.Contains(prev, s.asks) {
			t.Fatalf("turn %d: before %q the bot said %q; want it to ask %q", i, s.say, prev, s.asks)
		}
		r := f.bot.DM(ctx, bot.CommandInput{User: as(who), Text: s.say})
		prev = ""
		if r.Message != nil {
			if err := blockkit.Validate(*r.Message); err != nil {
				t.Fatalf("turn %d (%q): the reply breaks Block Kit limits: %v", i, s.say, err)
			}
			prev = text(*r.Message)
		}
		replies = append(replies, prev)
	}
	return replies
}

// insert is script with extra answered just before the first turn asking asks.
func insert(t *testing.T, script []turn, asks string, extra ...string) []turn {
	t.Helper()
	for i, s := range script {
		if s.asks == asks {
			out := append([]turn(nil), script[:i]...)
			for _, e := range extra {
				out = append(out, turn{asks, e})
			}
			return append(out, script[i:]...)
		}
	}
	t.Fatalf("no turn asks %q", asks)
	return nil
}

// The three conversations, every field answered, and the same answers in the form.

// requestScript is 吴副庭长's request: every question of a request answered.
func requestScript() []turn {
	return []turn{
		{"", "new"},
		{"标题是什么", "关于张某涉黑案公开审理的请示"},
		{"请示的事项", "拟对张某涉黑案依法公开开庭审理"},
		{"理由是什么", "该案社会关注度高"},
		{"意见建议是什么", "建议公开审理"},
		{"请输入正文", "案情附后。"},
		{"决策方式", "2"},
		{"紧急程度", "2"},
		{"主送哪个机关", "1"},
		{"抄送哪些机关", "2"},
		{"类别", "1"},
		{"何时前答复", "2026-03-09"},
		{"关联事项", "QS-2026-0001"},
		{"附件链接", "https://oa.example/1\n<https://oa.example/2?a=1&amp;b=2|材料二>"},
		{"限定知悉范围", "赵书记、5"},
		{"保密声明", "是"},
		{"请核对", "提交"},
	}
}

func requestForm() map[string]any {
	a := requestAnswers()
	a[briefbot.FieldBody] = "案情附后。"
	a[briefbot.FieldDecision] = "circulated"
	a[briefbot.FieldUrgency] = "urgent"
	a[briefbot.FieldCopied] = []string{"pl"}
	a[briefbot.FieldCategory] = "重大案件"
	a[briefbot.FieldAnswerBy] = "2026-03-09"
	a[briefbot.FieldRelated] = "QS-2026-0001"
	a[briefbot.FieldAttachments] = "https://oa.example/1\nhttps://oa.example/2?a=1&b=2"
	a[briefbot.FieldRestricted] = []string{"zhao", "zhou"}
	return a
}

// reportScript is 郑庭长's (an English member's) follow-up report.
func reportScript() []turn {
	return []turn{
		{"", "new report"},
		{"What is the title", "关于一季度审判执行工作的续报"},
		{"Which kind of report", "5"},
		{"first report's ledger number", "BG-2026-0001"},
		{"write the body", "二季度又受理600件。"},
		{"Urgency", "urgent"},
		{"Addressed to which committee", "2"},
		{"Copied to which committees", "1"},
		{"Category", "3"},
		{"Related matters", "BG-2026-0001"},
		{"Links to attachments", "https://oa.example/3"},
		{"Restrict who may see it", "sun 郑庭长"},
		{"Classification", "yes"},
		{"Please check", "submit"},
	}
}

func reportForm() map[string]any {
	return map[string]any{
		briefbot.FieldReportType: "follow_up", briefbot.FieldFollowUpOf: "BG-2026-0001",
		briefbot.FieldTitle: "关于一季度审判执行工作的续报", briefbot.FieldBody: "二季度又受理600件。",
		briefbot.FieldUrgency: "urgent", briefbot.FieldAddressee: "pl", briefbot.FieldCopied: []string{"party"},
		briefbot.FieldCategory: "重大风险", briefbot.FieldRelated: "BG-2026-0001",
		briefbot.FieldAttachments: "https://oa.example/3", briefbot.FieldRestricted: []string{"sun", "zheng"},
		briefbot.FieldUnclassified: true,
	}
}

// filingScript is 吴副庭长's filing: the optional questions skipped.
func filingScript() []turn {
	return []turn{
		{"", "new filing"},
		{"标题是什么", "关于院庭长办案情况的报备"},
		{"请输入正文", "本月院庭长共办案30件。"},
		{"紧急程度", "1"},
		{"主送哪个机关", "市委政法委"},
		{"抄送哪些机关", "无"},
		{"类别", "无"},
		{"关联事项", "无"},
		{"附件链接", "跳过"},
		{"限定知悉范围", "无"},
		{"保密声明", "y"},
		{"请核对", "提交"},
	}
}

func filingForm() map[string]any {
	return map[string]any{
		briefbot.FieldTitle: "关于院庭长办案情况的报备", briefbot.FieldBody: "本月院庭长共办案30件。",
		briefbot.FieldAddressee: "pl", briefbot.FieldUnclassified: true,
	}
}

// withEarlierMatters stores what the conversations refer to: QS-2026-0001 (吴副庭长's
// request) and BG-2026-0001 (郑庭长's report).
func withEarlierMatters(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t)
	if res := f.submitForm(t, "wu", "request", "V-base-1", requestAnswers()); len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	first := map[string]any{briefbot.FieldReportType: "situation", briefbot.FieldTitle: "关于一季度审判执行工作情况的报告",
		briefbot.FieldBody: "一季度共受理案件1200件。", briefbot.FieldAddressee: "pl", briefbot.FieldUnclassified: true}
	if res := f.submitForm(t, "zheng", "report", "V-base-2", first); len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	return f
}

// comparable is m as JSON without what differs between two submissions of the same
// answers: ids, numbers and times.
func comparable(t *testing.T, m *briefbot.Matter) string {
	t.Helper()
	c := *m
	c.ID, c.Number = 0, briefbot.Number{}
	c.CreatedAt, c.UpdatedAt, c.SubmittedAt = time.Time{}, time.Time{}, time.Time{}
	c.History = nil
	for _, e := range m.History {
		e.At = time.Time{}
		c.History = append(c.History, e)
	}
	b, err := json.MarshalIndent(c, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func lookup(t *testing.T, f *fixture, n string) *briefbot.Matter {
	t.Helper()
	m, err := f.store.Lookup(ctx, n)
	if err != nil {
		t.Fatalf("lookup %s: %v", n, err)
	}
	return m
}

// TestDM_EachKindStoresWhatTheFormStores: for each kind, a DM conversation answering
// every question stores the matter the intake form stores from the same answers, and
// the summary before it shows every answer.
func TestDM_EachKindStoresWhatTheFormStores(t *testing.T) {
	for _, tc := range []struct {
		name, kind string
		who        briefbot.MemberID
		script     []turn
		form       map[string]any
		dm, byForm string   // the numbers they get
		shown      []string // in the summary
		want       func(*briefbot.Matter) bool
	}{
		{"Request", "request", "wu", requestScript(), requestForm(), "QS-2026-0002", "QS-2026-0003",
			[]string{"关于张某涉黑案公开审理的请示", "拟对张某涉黑案依法公开开庭审理", "该案社会关注度高", "建议公开审理", "案情附后。",
				"传批审定", "加急", "主送*：党组", "抄送*：市委政法委", "重大案件", "2026-03-09", "QS-2026-0001",
				"https://oa.example/1", "https://oa.example/2?a=1&amp;b=2", "赵书记、周庭长", "已确认不涉及国家秘密", "由您授权签发", "刑事审判庭"},
			func(m *briefbot.Matter) bool {
				return m.Decision == briefbot.DecisionCirculated && len(m.Restricted) == 2 && len(m.Attachments) == 2 && m.Category == "重大案件"
			}},
		{"Report", "report", "zheng", reportScript(), reportForm(), "BG-2026-0002", "BG-2026-0003",
			[]string{"关于一季度审判执行工作的续报", "follow-up report", "First report*: BG-2026-0001", "二季度又受理600件。",
				"To*: Political-Legal Commission", "Copied to*: Party Group", "重大风险", "Related*: BG-2026-0001", "https://oa.example/3",
				"孙书记, 郑庭长", "declared unclassified"},
			func(m *briefbot.Matter) bool {
				return m.ReportType == briefbot.ReportFollowUp && m.FollowUpOf.String() == "BG-2026-0001" && m.Decision == briefbot.DecisionCollective
			}},
		{"Filing", "filing", "wu", filingScript(), filingForm(), "BB-2026-0001", "BB-2026-0002",
			[]string{"关于院庭长办案情况的报备", "本月院庭长共办案30件。", "平件", "主送*：市委政法委", "抄送*：无", "类别*：无"},
			func(m *briefbot.Matter) bool { return len(m.Copied) == 0 && m.Urgency == briefbot.UrgencyOrdinary }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := withEarlierMatters(t)
			replies := converse(t, f, tc.who, tc.script)
			summary := replies[len(replies)-2]
			for _, s := range tc.shown {
				if !strings.Contains(summary, s) {
					t.Errorf("the summary lacks %q:\n%s", s, summary)
				}
			}
			if got := replies[len(replies)-1]; got != "" {
				t.Fatalf("submit answered %q; want the receipt by DM only", got)
			}
			if res := f.submitForm(t, tc.who, tc.kind, "V-"+tc.name, tc.form); len(res.Errors) > 0 {
				t.Fatalf("the form refused the same answers: %v", res.Errors)
			}
			byDM, byForm := lookup(t, f, tc.dm), lookup(t, f, tc.byForm)
			if !tc.want(byDM) {
				t.Errorf("stored by DM = %+v", byDM)
			}
			if got, want := comparable(t, byDM), comparable(t, byForm); got != want {
				t.Fatalf("stored by DM:\n%s\nby the form:\n%s", got, want)
			}
		})
	}
}

// TestDM_EachAnswerIsChecked: an answer the rules refuse is asked again at once with
// the reason; nothing answered before is lost, and the conversation, carried on, stores
// exactly what it stores without the refusal.
func TestDM_EachAnswerIsChecked(t *testing.T) {
	for _, tc := range []struct {
		name   string
		who    briefbot.MemberID
		script func() []turn
		asks   string // the question answered badly
		bad    string
		reason string
	}{
		{"ErrTwoItems", "wu", requestScript, "请示的事项", "1. 批准专项经费\n2. 增加两名编制", "一文一事"},
		{"ErrMarkedTitle", "wu", requestScript, "标题是什么", "机密★ XYZZYSECRET 专案", "机要渠道"},
		{"ErrTitleTooLong", "wu", requestScript, "标题是什么", strings.Repeat("长", 101), "100"},
		{"ErrPastAnswerBy", "wu", requestScript, "何时前答复", "2026-03-01", "晚于现在"},
		{"ErrBadDate", "wu", requestScript, "何时前答复", "下周一", "2026-03-02"},
		{"ErrUnknownRelated", "wu", requestScript, "关联事项", "QS-2025-0009", "台账中没有 QS-2025-0009"},
		{"ErrBadNumber", "wu", requestScript, "关联事项", "QS-2026-0001 第二件", "台账编号格式不对"},
		{"ErrUnknownMember", "wu", requestScript, "限定知悉范围", "赵书记 王五", "组织配置中没有“王五”"},
		{"ErrBadLink", "wu", requestScript, "附件链接", "oa.example/1", "http 或 https"},
		{"ErrBadChoice", "wu", requestScript, "主送哪个机关", "9", "请回复列表中的序号"},
		{"ErrCopiedAddressee", "wu", requestScript, "抄送哪些机关", "1", "抄送机关不能同时是主送机关"},
		{"ErrYesNo", "wu", requestScript, "保密声明", "嗯", "请回复“是”或“否”"},
		{"ErrSmuggledRequest", "zheng", reportScript, "write the body", "二季度又受理600件。妥否，请批示。", "must not carry a request"},
		{"ErrSmuggledInTitle", "zheng", reportScript, "What is the title", "关于增加编制的请示", "must not carry a request"},
		{"ErrFirstReportRequired", "zheng", reportScript, "first report's ledger number", "none", "must name its first report"},
		{"ErrFirstReportNotAReport", "zheng", reportScript, "first report's ledger number", "QS-2026-0001", "must follow a report"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clean := withEarlierMatters(t)
			converse(t, clean, tc.who, tc.script())
			f := withEarlierMatters(t)
			script := insert(t, tc.script(), tc.asks, tc.bad)
			replies := converse(t, f, tc.who, script) // each reply asks the next turn's question: the refused one again
			var again string
			for i, s := range script {
				if s.asks == tc.asks && s.say == tc.bad {
					again = replies[i]
				}
			}
			if !strings.Contains(again, tc.reason) {
				t.Fatalf("the refusal %q; want the reason %q", again, tc.reason)
			}
			if strings.Contains(again, "XYZZY") {
				t.Fatalf("a marked answer was echoed: %q", again)
			}
			n := "QS-2026-0002"
			if tc.who == "zheng" {
				n = "BG-2026-0002"
			}
			if got, want := comparable(t, lookup(t, f, n)), comparable(t, lookup(t, clean, n)); got != want {
				t.Fatalf("after a refusal the conversation stored:\n%s\nwithout it:\n%s", got, want)
			}
		})
	}
}

// TestDM_UnseenRelatedAnswersAsNonexistent: a related matter or a first report the
// submitter may not see is refused in the very words of one that does not exist.
func TestDM_UnseenRelatedAnswersAsNonexistent(t *testing.T) {
	f := withEarlierMatters(t)
	// BG-2026-0002: 郑庭长's report, restricted to 孙书记: 吴副庭长 may not see it.
	hidden := map[string]any{briefbot.FieldReportType: "situation", briefbot.FieldTitle: "关于某案的情况报告",
		briefbot.FieldBody: "情况如下。", briefbot.FieldAddressee: "pl", briefbot.FieldRestricted: []string{"sun"}, briefbot.FieldUnclassified: true}
	if res := f.submitForm(t, "zheng", "report", "V-hidden", hidden); len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	script := requestScript()
	var at int
	for i, s := range script {
		if s.asks == "关联事项" {
			at = i
		}
	}
	converse(t, f, "wu", script[:at])
	unseen := dm(f, "wu", "BG-2026-0002")
	missing := dm(f, "wu", "BG-2026-0099")
	if !strings.Contains(missing, "台账中没有 BG-2026-0099") {
		t.Fatalf("a number that does not exist: %q", missing)
	}
	if got, want := strings.ReplaceAll(unseen, "BG-2026-0002", "BG-2026-0099"), missing; got != want {
		t.Fatalf("an unseen number answered\n%q\nand a missing one\n%q", unseen, missing)
	}
	// The same for a 续报's first report (吴副庭长 may not see 郑庭长's restricted report).
	dm(f, "wu", "取消")
	converse(t, f, "wu", []turn{{"", "new report"}, {"标题是什么", "续报"}, {"报告类别", "5"}})
	unseen, missing = dm(f, "wu", "BG-2026-0002"), dm(f, "wu", "BG-2026-0099")
	if got, want := strings.ReplaceAll(unseen, "BG-2026-0002", "BG-2026-0099"), missing; got != want || !strings.Contains(missing, "台账中没有") {
		t.Fatalf("an unseen first report answered\n%q\nand a missing one\n%q", unseen, missing)
	}
}

// TestDM_DeclineEndsWithNothingStored: 否 to the secrecy declaration ends the
// conversation at once, says nothing was stored and where classified matters go, and
// does not ask again.
func TestDM_DeclineEndsWithNothingStored(t *testing.T) {
	for _, tc := range []struct {
		who    briefbot.MemberID
		script func() []turn
		no     string
		want   []string
	}{
		{"wu", filingScript, "否", []string{"没有保存任何内容", "机要渠道"}},
		{"wu", filingScript, "N", []string{"没有保存任何内容", "机要渠道"}},
		{"zheng", reportScript, "no", []string{"nothing was stored", "classified channel"}},
	} {
		t.Run(string(tc.who)+"_"+tc.no, func(t *testing.T) {
			f := newFixture(t)
			script := tc.script()
			if tc.who == "zheng" {
				f = withEarlierMatters(t)
			}
			var at int
			for i, s := range script {
				if s.say == "是" || s.say == "y" || s.say == "yes" {
					at = i
				}
			}
			before := f.count(t)
			converse(t, f, tc.who, script[:at])
			got := dm(f, tc.who, tc.no)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Fatalf("declining = %q; want %q in it", got, w)
				}
			}
			if strings.Contains(got, "保密声明") || strings.Contains(got, "Classification:") {
				t.Fatalf("declining asked the declaration again: %q", got)
			}
			if n := f.count(t); n != before {
				t.Fatalf("%d matters stored after declining", n-before)
			}
			if got := dm(f, tc.who, "help"); !strings.Contains(got, "new") {
				t.Fatalf("the conversation did not end: help = %q", got)
			}
		})
	}
}

// TestDM_DeclarationAcceptsYes: 是, y, yes (any case, with a full stop) declare the
// content unclassified.
func TestDM_DeclarationAcceptsYes(t *testing.T) {
	for _, yes := range []string{"是", "是的", "y", "Y", "yes", "Yes.", "是。"} {
		t.Run(yes, func(t *testing.T) {
			f := newFixture(t)
			script := filingScript()
			script[len(script)-2].say = yes
			converse(t, f, "wu", script)
			if m := lookup(t, f, "BB-2026-0001"); !m.Unclassified {
				t.Fatalf("stored = %+v", m)
			}
		})
	}
}

// TestDM_EditAnswer: at the summary, 修改 N asks question N again and comes back to the
// summary; every other answer stays.
func TestDM_EditAnswer(t *testing.T) {
	f := withEarlierMatters(t)
	script := requestScript()
	converse(t, f, "wu", script[:len(script)-1])
	if got := dm(f, "wu", "修改 99"); !strings.Contains(got, "1 到 15") || !strings.Contains(got, "请核对") {
		t.Fatalf("修改 99 = %q", got)
	}
	if got := dm(f, "wu", "修改 1"); !strings.Contains(got, "标题是什么") {
		t.Fatalf("修改 1 = %q", got)
	}
	if got := dm(f, "wu", "秘密★专案的请示"); !strings.Contains(got, "机要渠道") || !strings.Contains(got, "标题是什么") || strings.Contains(got, "专案的请示") {
		t.Fatalf("a marked edit = %q", got)
	}
	if got := dm(f, "wu", "关于李某案公开审理的请示"); !strings.Contains(got, "请核对") || !strings.Contains(got, "1. *标题*：关于李某案公开审理的请示") {
		t.Fatalf("after the edit = %q", got)
	}
	if got := dm(f, "wu", "修改第8项"); !strings.Contains(got, "主送哪个机关") {
		t.Fatalf("修改第8项 = %q", got)
	}
	if got := dm(f, "wu", "2"); !strings.Contains(got, "请核对") {
		t.Fatalf("after the edit = %q", got)
	}
	// The addressee is now the copied committee: submitting says so and asks the copies again.
	if got := dm(f, "wu", "提交"); !strings.Contains(got, "抄送机关不能同时是主送机关") || !strings.Contains(got, "抄送哪些机关") {
		t.Fatalf("submitting with the addressee copied = %q", got)
	}
	if got := dm(f, "wu", "1"); !strings.Contains(got, "请核对") {
		t.Fatalf("after fixing the copies = %q", got)
	}
	if got := dm(f, "wu", "提交"); got != "" {
		t.Fatalf("submit = %q", got)
	}
	m := lookup(t, f, "QS-2026-0002")
	if m.Title != "关于李某案公开审理的请示" || m.Addressee != "pl" || len(m.Copied) != 1 || m.Copied[0] != "party" ||
		m.Reasons != "该案社会关注度高" || m.Decision != briefbot.DecisionCirculated || len(m.Restricted) != 2 {
		t.Fatalf("stored = %+v", m)
	}
}

// TestDM_EditReportType: a 续报 changed to another type forgets its first report; changed
// back, the first report is asked again.
func TestDM_EditReportType(t *testing.T) {
	f := withEarlierMatters(t)
	script := reportScript()
	converse(t, f, "zheng", script[:len(script)-1])
	if got := dm(f, "zheng", "edit 2"); !strings.Contains(got, "Which kind of report") {
		t.Fatalf("edit 2 = %q", got)
	}
	got := dm(f, "zheng", "3")
	if !strings.Contains(got, "Please check") || strings.Contains(got, "First report") {
		t.Fatalf("a situation report's summary = %q", got)
	}
	dm(f, "zheng", "edit 2")
	if got := dm(f, "zheng", "5"); !strings.Contains(got, "first report's ledger number") {
		t.Fatalf("back to a 续报 = %q", got)
	}
	if got := dm(f, "zheng", "BG-2026-0001"); !strings.Contains(got, "3. *First report*: BG-2026-0001") {
		t.Fatalf("the summary = %q", got)
	}
	dm(f, "zheng", "edit 2")
	dm(f, "zheng", "3")
	if got := dm(f, "zheng", "submit"); got != "" {
		t.Fatalf("submit = %q", got)
	}
	if m := lookup(t, f, "BG-2026-0002"); m.ReportType != briefbot.ReportSituation || !m.FollowUpOf.IsZero() {
		t.Fatalf("stored = %+v", m)
	}
}

// han finds Chinese characters.
var han = regexp.MustCompile(`\p{Han}+`)

// TestDM_EnglishMemberHasNoChinese: an English member's conversation — questions,
// choices, refusals, the summary, the edit — is in English throughout, bar names and
// the values the member typed.
func TestDM_EnglishMemberHasNoChinese(t *testing.T) {
	f := withEarlierMatters(t)
	script := reportScript()
	script = insert(t, script, "Urgency", "9")
	script = insert(t, script, "write the body", "妥否，请批示。")
	script = insert(t, script, "Related matters", "BG-2025-0001")
	script = insert(t, script, "Links to attachments", "oa.example")
	script = insert(t, script, "Restrict who may see it", "王五")
	script = insert(t, script, "Classification", "maybe")
	script = insert(t, script, "What is the title", "绝密 XYZZY")
	script = append(script[:len(script)-1], turn{"Please check", "edit 99"}, turn{"Please check", "edit 4"}, turn{"write the body", "二季度又受理600件。"},
		turn{"Please check", "nonsense"}, script[len(script)-1])
	replies := converse(t, f, "zheng", script)
	allowed := []string{"妥否，请批示", "王五"} // what the member typed, quoted back
	for _, s := range script {
		allowed = append(allowed, s.say)
	}
	r := f.rules
	for _, m := range r.Org.Members {
		allowed = append(allowed, m.Name)
	}
	for _, d := range r.Org.Departments {
		allowed = append(allowed, d.Name)
	}
	allowed = append(allowed, r.Intake.Categories...)
	for i, reply := range replies {
		rest := reply
		for _, a := range allowed {
			if a != "" {
				rest = strings.ReplaceAll(rest, a, "")
			}
		}
		for _, line := range strings.Split(rest, "\n") {
			if han.MatchString(line) {
				t.Errorf("reply %d (to %q) has Chinese: %q", i, script[i].say, line)
			}
		}
	}
	if m := lookup(t, f, "BG-2026-0002"); m.Body != "二季度又受理600件。" {
		t.Fatalf("stored = %+v", m)
	}
}

func TestDM_CancelAndClassified(t *testing.T) {
	f := newFixture(t)
	dm(f, "wu", "new")
	if got := dm(f, "wu", "秘密★ XYZZYSECRET 专案"); !strings.Contains(got, "机要渠道") || strings.Contains(got, "XYZZY") || !strings.Contains(got, "标题是什么") {
		t.Fatalf("classified answer = %q", got)
	}
	if got := dm(f, "wu", "取消"); !strings.Contains(got, "没有保存") {
		t.Fatalf("cancel = %q", got)
	}
	if f.count(t) != 0 {
		t.Fatalf("stored after cancel")
	}
	if got := dm(f, "wu", "help"); !strings.Contains(got, "报送请示") {
		t.Fatalf("conversation not ended after cancel: %q", got)
	}
}

// TestDM_Expires: a conversation left for longer than its idle time is dropped; the
// next message is a command, told so.
func TestDM_Expires(t *testing.T) {
	f := newFixture(t)
	dm(f, "wu", "new")
	dm(f, "wu", "关于某事的请示")
	f.now = f.now.Add(31 * time.Minute)
	if got := dm(f, "wu", "help"); !strings.Contains(got, "超时") || !strings.Contains(got, "报送请示") {
		t.Fatalf("after the idle time: %q", got)
	}
}

// TestDM_HeadOfTwoDepartmentsChooses: one who heads two departments is asked which
// one sends the matter; its principal signs.
func TestDM_HeadOfTwoDepartmentsChooses(t *testing.T) {
	r := testRules()
	r.Org.Departments[1].Heads = []briefbot.MemberID{"wu"}
	f := newFixtureWith(t, r)
	script := filingScript()
	at := 0
	for i, s := range script {
		if s.asks == "紧急程度" {
			at = i
		}
	}
	script = append(script[:at:at], append([]turn{{"以哪个单位名义报送", "2"}}, script[at:]...)...)
	replies := converse(t, f, "wu", script)
	if summary := replies[len(replies)-2]; !strings.Contains(summary, "*报送单位*：民事审判庭") || !strings.Contains(summary, "郑庭长") {
		t.Fatalf("the summary = %q", summary)
	}
	// 民庭's principal signs it off: wu is not his delegate.
	if out := text(*act(f, "zheng", "sign", "#1").Message); !strings.Contains(out, "BB-2026-0001") {
		t.Fatalf("zheng's sign-off = %s", out)
	}
	if m := lookup(t, f, "BB-2026-0001"); m.Department != "civil" || m.Signatory != "zheng" {
		t.Fatalf("stored = %+v", m)
	}
}

func TestDM_OnlyHeads(t *testing.T) {
	f := newFixture(t)
	if got := dm(f, "chen", "new"); !strings.Contains(got, "负责人") {
		t.Fatalf("member's new = %q", got)
	}
}

// TestDM_TwoMessagesAtOnceFromOneMember: Slack hands the bot several envelopes at once
// (Socket Mode, 16 at a time), so two DMs from one member can be handled together. Each
// answer is taken exactly once, in some order, and the conversation stays whole (run
// with -race: the conversation's state is never read and written at once).
func TestDM_TwoMessagesAtOnceFromOneMember(t *testing.T) {
	f := newFixture(t)
	for round := range 20 {
		if got := dm(f, "wu", "new"); !strings.Contains(got, "标题是什么") {
			t.Fatalf("round %d: new = %q", round, got)
		}
		title, item := fmt.Sprintf("并发的请示%02d", round), fmt.Sprintf("并发的事项%02d", round)
		var wg sync.WaitGroup
		replies := make([]string, 2)
		for i, line := range []string{title, item} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				replies[i] = dm(f, "wu", line)
			}()
		}
		wg.Wait()
		// Both answers were taken: the next question is the third (the reasons).
		if !strings.Contains(replies[0]+replies[1], "理由") {
			t.Fatalf("round %d: replies %q; want one of them to ask for the reasons", round, replies)
		}
		for _, s := range []string{"理由", "建议", "无", "无", "1", "1", "1", "无", "无", "无", "无", "无", "无", "是", "提交"} {
			dm(f, "wu", s)
		}
		m, err := f.store.Lookup(ctx, fmt.Sprintf("QS-2026-%04d", round+1))
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		got := []string{m.Title, m.RequestedItem}
		if !(got[0] == title && got[1] == item) && !(got[0] == item && got[1] == title) {
			t.Fatalf("round %d: stored title %q, item %q; want the two answers, each once", round, m.Title, m.RequestedItem)
		}
	}
}
