package bot_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/blockkit"
	"github.com/briefbot/briefbot/bot"
)

// seed stores matters directly, as the intake would have.
func (f *fixture) seed(t *testing.T, m *briefbot.Matter) *briefbot.Matter {
	t.Helper()
	r, err := f.store.Submit(ctx, m, nil, briefbot.Delivery{})
	if err != nil {
		t.Fatal(err)
	}
	return r.Matter
}

func req(title string) *briefbot.Matter {
	return &briefbot.Matter{Kind: briefbot.KindRequest, Title: title, RequestedItem: "事项", Reasons: "理由", Recommendation: "建议",
		Department: "criminal", Submitter: "wu", Signatory: "zhou", Addressee: "party", Unclassified: true, Decision: briefbot.DecisionCollective}
}

func cmd(f *fixture, who briefbot.MemberID, s string) blockkit.Message {
	r := f.bot.Command(ctx, bot.CommandInput{User: as(who), Text: s})
	if r.Message == nil {
		return blockkit.Message{}
	}
	return *r.Message
}

func TestStatus(t *testing.T) {
	f := newFixture(t)
	m := f.seed(t, req("关于某案的请示"))
	f.store.Apply(ctx, briefbot.RefID(m.ID), steps(briefbot.Step{Action: briefbot.ActionInstruct, Actor: "qian", OnBehalfOf: "zhao", At: f.now, Text: "同意，依法办理。"}), briefbot.Delivery{})
	for _, typed := range []string{"status QS-2026-0001", "status qs-2026-1", "查询 请示〔2026〕1号"} {
		out := text(cmd(f, "zhao", typed))
		for _, want := range []string{"QS-2026-0001", "关于某案的请示", "已批示", "同意，依法办理。", "赵书记", "钱主任 代录", "刑事审判庭"} {
			if !strings.Contains(out, want) {
				t.Fatalf("%q lacks %q:\n%s", typed, want, out)
			}
		}
	}
	if out := text(cmd(f, "zheng", "status QS-2026-0001")); !strings.Contains(out, "No matter QS-2026-0001") {
		t.Fatalf("a member who may not see the matter got %q; want not found", out)
	}
	if out := text(cmd(f, "wu", "status QS-2026-0404")); !strings.Contains(out, "没有找到") {
		t.Fatalf("missing = %q", out)
	}
	if out := text(cmd(f, "wu", "status hello")); !strings.Contains(out, "格式不对") {
		t.Fatalf("garbage = %q", out)
	}
	if out := text(cmd(f, "wu", "status")); !strings.Contains(out, "请给出台账编号") {
		t.Fatalf("no number = %q", out)
	}
}

func TestListAndFind(t *testing.T) {
	f := newFixture(t)
	for i := range 23 {
		m := req(fmt.Sprintf("请示%02d", i))
		if i%5 == 0 {
			m.AnswerBy = f.now.Add(time.Hour)
		}
		f.seed(t, m)
	}
	civil := req("民事庭的请示")
	civil.Department, civil.Submitter, civil.Signatory, civil.Addressee = "civil", "zheng", "zheng", "pl"
	f.seed(t, civil)

	page1 := cmd(f, "wu", "list mine")
	if out := text(page1); !strings.Contains(out, "QS-2026-0023") || strings.Contains(out, "QS-2026-0013") || !strings.Contains(out, "list mine page 2") {
		t.Fatalf("page 1 = %s", out)
	}
	if err := blockkit.Validate(page1); err != nil {
		t.Fatal(err)
	}
	if out := text(cmd(f, "wu", "list mine page 3")); !strings.Contains(out, "QS-2026-0001") || strings.Contains(out, "page 4") {
		t.Fatalf("page 3 = %s", out)
	}
	if out := text(cmd(f, "wu", "list all page 3")); strings.Contains(out, "民事庭") {
		t.Fatalf("wu sees civil's matter: %s", out)
	}
	if out := text(cmd(f, "li", "list")); !strings.Contains(out, "民事庭的请示") || strings.Contains(out, "请示00") {
		t.Fatalf("pl clerk's default list = %s", out)
	}
	if out := text(cmd(f, "qian", "list awaiting page 3")); !strings.Contains(out, "请示00") || strings.Contains(out, "民事庭") {
		t.Fatalf("party clerk awaiting = %s", out)
	}
	// The clock has not moved: nothing is overdue yet.
	if out := text(cmd(f, "qian", "list overdue")); !strings.Contains(out, "没有找到") {
		t.Fatalf("overdue = %s", out)
	}
	if out := text(cmd(f, "wu", "find 请示07")); !strings.Contains(out, "QS-2026-0008") || strings.Contains(out, "QS-2026-0009") {
		t.Fatalf("find = %s", out)
	}
	if out := text(cmd(f, "wu", "find 民事庭")); strings.Contains(out, "民事庭的请示") {
		t.Fatalf("find shows a matter wu may not see: %s", out)
	}
	for _, bad := range []string{"list sideways", "list page x", "list page 0", "find"} {
		if out := text(cmd(f, "wu", bad)); out == "" || strings.Contains(out, "QS-2026") {
			t.Fatalf("%q = %s; want a usage message", bad, out)
		}
	}
	// The next-page button runs the next page.
	var next string
	for _, b := range page1.Blocks {
		if b["type"] == "actions" {
			next = b["elements"].([]any)[0].(blockkit.Block)["value"].(string)
		}
	}
	r := f.bot.Action(ctx, bot.ActionInput{User: as("wu"), ActionID: "list_page", Value: next})
	if r.Message == nil || !strings.Contains(text(*r.Message), "QS-2026-0013") {
		t.Fatalf("next page button = %+v", r.Message)
	}
	// Following the buttons (each starting where the last page ended) lists what
	// the typed pages list, each matter once.
	for _, c := range []struct {
		user         briefbot.MemberID
		first, typed string
	}{
		{"wu", "list mine", "list mine page %d"},
		{"qian", "list awaiting", "list awaiting page %d"},
		{"wu", "find 请示", "find 请示 page %d"},
	} {
		var byButton, byPage []string
		msg := cmd(f, c.user, c.first)
		for page := 1; ; page++ {
			byButton = append(byButton, numbersIn(text(msg))...)
			byPage = append(byPage, numbersIn(text(cmd(f, c.user, fmt.Sprintf(c.typed, page))))...)
			next := nextButton(msg)
			if next == "" {
				break
			}
			if !strings.Contains(next, " from ") {
				t.Fatalf("%s: the next-page button carries %q, not where the page ended", c.first, next)
			}
			r := f.bot.Action(ctx, bot.ActionInput{User: as(c.user), ActionID: "list_page", Value: next})
			if r.Message == nil {
				t.Fatalf("%s: the button %q answered nothing", c.first, next)
			}
			msg = *r.Message
		}
		if len(byButton) < 11 || fmt.Sprint(byButton) != fmt.Sprint(byPage) || len(slices.Compact(slices.Sorted(slices.Values(byButton)))) != len(byButton) {
			t.Errorf("%s: by button %v; by page %v; want the same matters, each once, over more than one page", c.first, byButton, byPage)
		}
	}
	// A button made to carry another cursor still lists only what the member may see.
	for _, forged := range []string{"list all page 2 from 999999", "list all page 2 from 25.1", "find 民事庭 page 2 from 999999"} {
		r := f.bot.Action(ctx, bot.ActionInput{User: as("wu"), ActionID: "list_page", Value: forged})
		if r.Message == nil || strings.Contains(text(*r.Message), "民事庭的请示") {
			t.Fatalf("forged %q = %+v", forged, r.Message)
		}
	}
	for _, bad := range []string{"list mine page 2 from x", "list mine page 2 from 0", "list mine from 7.-3"} {
		if out := text(cmd(f, "wu", bad)); !strings.Contains(out, "页码") || strings.Contains(out, "QS-2026") {
			t.Fatalf("%q = %s; want the usage of pages", bad, out)
		}
	}
}

// nextButton is the value of a list's next-page button, "" if there is none.
func nextButton(m blockkit.Message) string {
	for _, b := range m.Blocks {
		if b["type"] == "actions" {
			for _, e := range b["elements"].([]any) {
				if e.(blockkit.Block)["action_id"] == "list_page" {
					return e.(blockkit.Block)["value"].(string)
				}
			}
		}
	}
	return ""
}

var ledgerNumber = regexp.MustCompile(`QS-\d{4}-\d{4}`)

// numbersIn lists the ledger numbers of one page's text (blocks and fallback text),
// in order, each once.
func numbersIn(s string) []string {
	var ns []string
	for _, n := range ledgerNumber.FindAllString(s, -1) {
		if !slices.Contains(ns, n) {
			ns = append(ns, n)
		}
	}
	return ns
}

func TestHelpInBothLanguages(t *testing.T) {
	f := newFixture(t)
	if out := text(cmd(f, "wu", "help")); !strings.Contains(out, "报送请示") || !strings.Contains(out, "/matter status") {
		t.Fatalf("zh help = %s", out)
	}
	if out := text(cmd(f, "zheng", "")); !strings.Contains(out, "submit a request") {
		t.Fatalf("en help = %s", out)
	}
	if out := text(cmd(f, "wu", "frobnicate <!channel>")); !strings.Contains(out, "没有听懂") || strings.Contains(out, "<!channel>") {
		t.Fatalf("unknown command = %s", out)
	}
}

func TestEscaping_NoMentionsLinksOrFormattingFromUserText(t *testing.T) {
	f := newFixture(t)
	m := req("<!channel> *紧急* _看_ ~删~ `码` <http://evil.example|点我> & <@UZHAO>")
	m.Body = "<!here> 正文 *粗体*"
	f.seed(t, m)
	for _, out := range []blockkit.Message{cmd(f, "wu", "status QS-2026-0001"), cmd(f, "wu", "list mine"), cmd(f, "wu", "find 紧急")} {
		s := out.Text + "\n" + mrkdwnTexts(t, out.Blocks)
		for _, bad := range []string{"<!channel>", "<!here>", "<http://evil", "<@UZHAO>", "*紧急*", "_看_", "~删~", "`码`", "*粗体*"} {
			if strings.Contains(s, bad) {
				t.Fatalf("user text reached mrkdwn unescaped (%q):\n%s", bad, s)
			}
		}
		if !strings.Contains(s, "&lt;!channel&gt;") {
			t.Fatalf("escaped title missing:\n%s", s)
		}
	}
	if got := blockkit.Escape("a&b<c>*d*"); got != "a&amp;b&lt;c&gt;＊d＊" {
		t.Fatalf("Escape = %q", got)
	}
}

func TestBlockKitLimits_RealisticAndOversized(t *testing.T) {
	f := newFixture(t)
	big := req(strings.Repeat("长", 100))
	big.RequestedItem = strings.Repeat("事", 5000)
	big.Reasons = strings.Repeat("因", 5000)
	big.Recommendation = strings.Repeat("议", 5000)
	big.Body = strings.Repeat("文<&>*", 4000)
	big.Attachments = make([]string, 20)
	for i := range big.Attachments {
		big.Attachments[i] = fmt.Sprintf("https://oa.example/%s/%d", strings.Repeat("x", 90), i)
	}
	m := f.seed(t, big)
	for i := range 25 { // many leaders' long instructions: more than a card can show
		if _, err := f.store.Apply(ctx, briefbot.RefID(m.ID), steps(briefbot.Step{Action: briefbot.ActionInstruct, Actor: "zhao", At: f.now, Text: strings.Repeat("批", 1500) + fmt.Sprint(i)}), briefbot.Delivery{}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 30 {
		f.seed(t, req(fmt.Sprintf("%s%d", strings.Repeat("题", 99), i)))
	}
	card := cmd(f, "zhao", "status QS-2026-0001")
	if err := blockkit.Validate(card); err != nil {
		t.Fatalf("card: %v", err)
	}
	if !strings.Contains(text(card), "完整内容见台账 QS-2026-0001") {
		t.Fatalf("a cut text must point to the full record")
	}
	for _, c := range []string{"list all", "list awaiting", "find 题题", "help"} {
		if err := blockkit.Validate(cmd(f, "qian", c)); err != nil {
			t.Fatalf("%s: %v", c, err)
		}
	}
	for _, who := range []briefbot.MemberID{"wu", "qian", "zhao", "zhou", "chen"} {
		if err := blockkit.ValidateView(map[string]any{"type": "home", "blocks": f.bot.Home(ctx, as(who))}); err != nil {
			t.Fatalf("home of %s: %v", who, err)
		}
	}
}

func TestHome(t *testing.T) {
	f := newFixture(t)
	m := f.seed(t, req("待批示的请示"))
	done := f.seed(t, req("已转办的请示"))
	f.store.Apply(ctx, briefbot.RefID(done.ID), steps(briefbot.Step{Action: briefbot.ActionInstruct, Actor: "zhao", At: f.now, Text: "同意"}), briefbot.Delivery{})
	f.store.Apply(ctx, briefbot.RefID(done.ID), steps(briefbot.Step{Action: briefbot.ActionRefer, Actor: "zhao", At: f.now, Lead: "criminal", Deadline: f.now.Add(72 * time.Hour)}), briefbot.Delivery{})
	_ = m
	for _, tc := range []struct {
		who       briefbot.MemberID
		want, not []string
	}{
		{"wu", []string{"刑事审判庭 未办结的事项", "待批示的请示", "交办给 刑事审判庭", "已转办的请示", "open_intake"}, nil},
		{"qian", []string{"党组 待处理的事项", "待批示的请示"}, []string{"open_intake", "已转办的请示"}},
		{"zhao", []string{"待您批示的事项", "待批示的请示"}, []string{"已转办的请示"}},
		{"li", []string{"市委政法委 待处理的事项", "暂无"}, []string{"待批示的请示"}},
	} {
		s := blockTexts(f.bot.Home(ctx, as(tc.who)))
		for _, w := range tc.want {
			if !strings.Contains(s, w) {
				t.Errorf("home of %s lacks %q", tc.who, w)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(s, n) {
				t.Errorf("home of %s shows %q", tc.who, n)
			}
		}
	}
}

// mrkdwnTexts collects every mrkdwn text object in blocks: what Slack interprets.
// (plain_text is shown as typed: no mentions, links or formatting.)
func mrkdwnTexts[T any](t *testing.T, bs []T) string {
	t.Helper()
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if v["type"] == "mrkdwn" {
				out = append(out, v["text"].(string))
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	raw, err := json.Marshal(bs)
	if err != nil {
		t.Fatal(err)
	}
	var all []any
	if err := json.Unmarshal(raw, &all); err != nil {
		t.Fatal(err)
	}
	walk(all)
	return strings.Join(out, "\n")
}

// TestHelp_ListsWhatTheRolesAllow: help names who the member is and lists the
// commands of their roles — 批示/圈阅 for a leader, 代录 and the decisions for a
// clerk, 反馈/办结 for a department head — and not those of others.
func TestHelp_ListsWhatTheRolesAllow(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		who        briefbot.MemberID
		role       string
		has, hasnt []string
	}{
		{"zhao", "党组领导", []string{"批示 QS-2026-0017", "圈阅", "stats"}, []string{"销号", "办结", "new [request"}},
		{"qian", "党组办文人员", []string{"代 赵书记", "销号", "退办", "brief"}, []string{"办结 QS", "new [request"}},
		{"wu", "刑事审判庭负责人", []string{"new [request", "反馈", "办结", "延期"}, []string{"销号", "圈阅 QS"}},
		{"chen", "刑事审判庭成员", []string{"status"}, []string{"批示 QS", "销号", "办结", "new [request"}},
	} {
		out := text(cmd(f, tc.who, "help"))
		if !strings.Contains(out, tc.role) || strings.Contains(out, "%!") {
			t.Fatalf("%s's help does not say who they are (%s):\n%s", tc.who, tc.role, out)
		}
		for _, w := range tc.has {
			if !strings.Contains(out, w) {
				t.Fatalf("%s's help lacks %q:\n%s", tc.who, w, out)
			}
		}
		for _, w := range tc.hasnt {
			if strings.Contains(out, w) {
				t.Fatalf("%s's help offers %q, which their roles do not allow:\n%s", tc.who, w, out)
			}
		}
	}
}

func TestFindEverywhere(t *testing.T) {
	f := newFixture(t)
	m := req("关于（2026）沪01刑初10017号张某某案审理的请示")
	m.Body = "合议庭已完成庭前会议和证据交换。"
	first := f.seed(t, m)
	f.store.Apply(ctx, briefbot.RefID(first.ID), steps(briefbot.Step{Action: briefbot.ActionInstruct, Actor: "zhao", At: f.now, Text: "请妥善处理舆情。"}), briefbot.Delivery{})
	f.seed(t, req("关于另一案件的请示"))
	civil := req("民事庭关于庭前会议的请示")
	civil.Department, civil.Submitter, civil.Signatory, civil.Addressee = "civil", "zheng", "zheng", "pl"
	f.seed(t, civil)
	for _, tc := range []struct{ who, q, want, shown string }{
		{"zhao", "find 庭前会议", "QS-2026-0001", "含“庭前会议”的事项"},                     // a body
		{"zhao", "find 妥善处理", "QS-2026-0001", "含“妥善处理”的事项"},                     // a 批示
		{"zhao", "find 2026沪01刑初10017", "QS-2026-0001", "含“2026沪01刑初10017”的事项"}, // a case number without brackets
		{"zhao", "find 刑事审判庭 庭前会议", "QS-2026-0001", "含“刑事审判庭”“庭前会议”的事项"},        // a department by name
		{"zheng", "find 民事审判庭", "QS-2026-0003", "Matters with “民事审判庭”"},
	} {
		out := text(cmd(f, briefbot.MemberID(tc.who), tc.q))
		if !strings.Contains(out, tc.want) || !strings.Contains(out, tc.shown) {
			t.Errorf("%s: %q = %s; want %s under %s", tc.who, tc.q, out, tc.want, tc.shown)
		}
	}
	if out := text(cmd(f, "zhao", "find 刑事审判庭 庭前会议")); strings.Contains(out, "QS-2026-0003") {
		t.Errorf("a department's word finds another department's matter: %s", out)
	}
	if out := text(cmd(f, "wu", "find 庭前会议")); strings.Contains(out, "QS-2026-0003") {
		t.Errorf("find shows wu a matter he may not see: %s", out)
	}
	if out := text(cmd(f, "wu", "find 案")); !strings.Contains(out, "只有一个汉字") || strings.Contains(out, "QS-2026") {
		t.Errorf("one character = %s; want why it cannot be searched", out)
	}
	if out := text(cmd(f, "zheng", "find 案")); !strings.Contains(out, "single Chinese character") {
		t.Errorf("one character, in English = %s", out)
	}
}

// TestListDept: `list dept` holds the matters of every department the member belongs
// to, and only theirs; a member of none is told nothing is there.
func TestListDept(t *testing.T) {
	rules := testRules()
	rules.Org.Departments[1].Members = []briefbot.MemberID{"chen"} // chen: criminal and civil
	rules.Org.Departments = append(rules.Org.Departments, briefbot.Department{ID: "admin", Name: "行政审判庭", Principal: "li"})
	f := newFixtureWith(t, rules)
	f.seed(t, req("刑事庭的请示"))
	civil := req("民事庭的请示")
	civil.Department, civil.Submitter, civil.Signatory = "civil", "zheng", "zheng"
	f.seed(t, civil)
	admin := req("行政庭的请示")
	admin.Department, admin.Submitter, admin.Signatory = "admin", "li", "li"
	f.seed(t, admin)

	out := text(cmd(f, "chen", "list dept"))
	if !strings.Contains(out, "刑事庭的请示") || !strings.Contains(out, "民事庭的请示") || strings.Contains(out, "行政庭的请示") {
		t.Fatalf("chen's departments = %s", out)
	}
	if out := text(cmd(f, "wu", "list dept")); !strings.Contains(out, "刑事庭的请示") || strings.Contains(out, "民事庭的请示") {
		t.Fatalf("wu's department = %s", out)
	}
	if out := text(cmd(f, "zhao", "list dept")); !strings.Contains(out, "没有找到") || strings.Contains(out, "的请示") {
		t.Fatalf("zhao, of no department = %s", out)
	}
}
