package bot_test

import (
	"strings"
	"testing"
	"unicode"

	"github.com/briefbot/briefbot"
)

// TestTyped_TheWholeLoopByTypedCommands: every step of a referred request taken by a
// typed command, each confirmed to its sender, each refused to whoever may not take
// it — and the matter closed out at the end.
func TestTyped_TheWholeLoopByTypedCommands(t *testing.T) {
	f := newFixture(t)
	m := f.seed(t, req("关于跨部门协调的请示"))
	n := m.Number.String()
	step := func(who briefbot.MemberID, line string, want ...string) string {
		t.Helper()
		out := text(cmd(f, who, line))
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Fatalf("%s typed %q: answered\n%s\nwant %q", who, line, out, w)
			}
		}
		return out
	}
	status := func() *briefbot.Matter {
		got, err := f.store.Matter(ctx, briefbot.RefID(m.ID))
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	step("wu", "批示 "+n+" 同意", "只有") // not a leader: refused, nothing recorded
	if len(status().Instructions) != 0 {
		t.Fatal("a department head's 批示 was recorded")
	}
	step("zhao", "批示 "+n+" 同意，抓紧办理，请转办公室核实后 转办 民事审判庭 协办 刑事审判庭 期限 2026-03-20", "已批示", "转办")
	got := status()
	if a := got.Assignment; got.Status != briefbot.StatusReferred || a == nil || a.Lead != "civil" || len(a.Assisting) != 1 || a.Assisting[0] != "criminal" ||
		a.Deadline.Format("2006-01-02") != "2026-03-20" || !strings.Contains(got.Instructions[0].Text, "请转办公室核实后") {
		t.Fatalf("after the typed 批示: %s %+v %+v", got.Status, got.Assignment, got.Instructions)
	}
	step("qian", "圈阅 "+n+" 代 赵书记", n) // 赵书记 already instructed: answered, nothing more recorded
	step("wu", "反馈 "+n+" 协办单位已提供材料", "已")
	step("wu", "办结 "+n+" 已办完", "") // an assisting unit does not report completion
	if status().Status == briefbot.StatusCompleted {
		t.Fatal("an assisting unit reported completion")
	}
	step("zheng", "延期 "+n+" 至 2026-03-30 理由 证人尚未到庭", "")
	step("qian", "不同意延期 "+n+" 理由 时限不能再延", "")
	step("zheng", "办结 "+n+" 已依法处理完毕", "")
	if s := status().Status; s != briefbot.StatusCompleted {
		t.Fatalf("after 办结: %s", s)
	}
	step("qian", "退办 "+n+" 理由 材料不全", "")
	step("zheng", "办结 "+n+" 材料已补齐", "")
	step("zhao", "销号 "+n, "") // a leader does not close out: the office does
	if status().Status == briefbot.StatusClosed {
		t.Fatal("a leader closed out the matter")
	}
	step("qian", "销号 "+n, "")
	if s := status().Status; s != briefbot.StatusClosed {
		t.Fatalf("at the end: %s\n%+v", s, status().History)
	}
	// What was asked of whom, in order.
	var acts []string
	for _, ev := range status().History {
		acts = append(acts, string(ev.Action)+":"+string(ev.Actor))
	}
	want := "submit:wu instruct:zhao refer:zhao progress:wu request_extension:zheng decline_extension:qian complete:zheng send_back:qian complete:zheng close:qian"
	if strings.Join(acts, " ") != want {
		t.Fatalf("history = %s\nwant      %s", strings.Join(acts, " "), want)
	}
}

// TestTyped_Refusals: a typed step without a number, with a bad date, naming an
// unknown leader or department, or for a matter the member may not see, is answered
// with what is wrong and how it is written, and changes nothing.
func TestTyped_Refusals(t *testing.T) {
	f := newFixture(t)
	m := f.seed(t, req("关于某事的请示"))
	n := m.Number.String()
	for _, tc := range []struct {
		who  briefbot.MemberID
		line string
		want string
	}{
		{"zhao", "批示", "写法：批示 QS-2026-0001"},
		{"zhao", "圈阅 QS-2026-0099", "没有找到事项"},
		{"zhao", "批示 " + n + " 同意 转办 不存在的庭", "“转办”后面应是部门名称"},
		{"qian", "圈阅 " + n + " 代 不存在的人", "只有"},
		{"zheng", "批示 " + n + " 同意", "No matter " + n}, // 郑庭长 (English) of another department may not see it
	} {
		before := f.count(t)
		out := text(cmd(f, tc.who, tc.line))
		if !strings.Contains(out, tc.want) {
			t.Fatalf("%s typed %q: %s\nwant %q", tc.who, tc.line, out, tc.want)
		}
		got, _ := f.store.Matter(ctx, briefbot.RefID(m.ID))
		if f.count(t) != before || len(got.History) != 1 {
			t.Fatalf("%q changed the ledger: %+v", tc.line, got.History)
		}
	}
}

// TestLanguage_AnEnglishMemberReadsEnglishNotices: every notice to a member with the
// English interface is in English — names of people, departments and committees
// included, where the config gives them — bar the text people typed.
func TestLanguage_AnEnglishMemberReadsEnglishNotices(t *testing.T) {
	r := testRules()
	english := map[briefbot.MemberID]string{"zhao": "Secretary Zhao", "qian": "Director Qian", "wu": "Judge Wu", "zhou": "Judge Zhou", "zheng": "Judge Zheng"}
	for i, m := range r.Org.Members {
		r.Org.Members[i].NameEN = english[m.ID]
	}
	for i := range r.Org.Departments {
		r.Org.Departments[i].NameEN = map[briefbot.DepartmentID]string{"criminal": "Criminal Division", "civil": "Civil Division"}[r.Org.Departments[i].ID]
	}
	f := newFixtureWith(t, r)
	m := f.seed(t, req("关于协调的请示"))
	n := m.Number.String()
	typed := []string{m.Title, "同意，抓紧办理", "需要补充调查", "时限不能再延", "已依法处理完毕"}
	cmd(f, "zhao", "批示 "+n+" 同意，抓紧办理 转办 民事审判庭 期限 2026-03-20")
	cmd(f, "zheng", "延期 "+n+" 至 2026-03-30 理由 需要补充调查")
	cmd(f, "qian", "不同意延期 "+n+" 理由 时限不能再延")
	cmd(f, "zheng", "办结 "+n+" 已依法处理完毕")
	var seen int
	for _, p := range f.posts.all() {
		if p.to != "zheng" {
			continue
		}
		seen++
		out := text(p.msg)
		for _, s := range typed {
			out = strings.ReplaceAll(out, s, "")
		}
		for _, r := range out {
			if unicode.Is(unicode.Han, r) {
				t.Fatalf("a notice to an English member carries Chinese (%q):\n%s", string(r), out)
			}
		}
	}
	if seen < 2 {
		t.Fatalf("郑庭长 got %d notices; want the instruction and the decision at least", seen)
	}
}
