package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/store"
)

// TestLoop_ACrossDepartmentReferralInTheConsole_AFreshProcessEachStep: the whole loop in
// the console of the built-in example organisation, each step its own `briefbot
// console --as MEMBER` on one data file: 吴副庭长 (刑庭) submits; 赵书记 presses the
// 批示 button of a card shown in an earlier session and refers the request to 民庭 with
// 刑庭 assisting; 郑庭长 (民庭) reports progress and completion by buttons named in
// his notices; 吴副庭长 reports as the assisting unit by a typed command; 钱主任
// closes it out by typing. Every form says which matter it is for, every sender is
// told it was done.
func TestLoop_ACrossDepartmentReferralInTheConsole_AFreshProcessEachStep(t *testing.T) {
	data := filepath.Join(t.TempDir(), "briefbot.db")
	console := func(as string, lines ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		env := func(k string) string {
			if k == "BRIEFBOT_DATA" {
				return data
			}
			return ""
		}
		in := strings.NewReader(strings.Join(append(lines, "/quit"), "\n") + "\n")
		if err := run(context.Background(), []string{"console", "--as", as}, env, in, &out, &errOut); err != nil {
			t.Fatalf("console as %s: %v\n%s", as, err, errOut.String())
		}
		return out.String()
	}
	expect := func(out string, want ...string) {
		t.Helper()
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Fatalf("the console lacks %q:\n%s", w, out)
			}
		}
	}
	const n = "QS-2026-0001"
	// 吴副庭长 is a head, not the principal: his request waits for 周庭长's sign-off,
	// unnumbered; signed off, it is numbered and he gets the receipt.
	expect(console("wu", "/matter new", "", "关于跨部门协调执行案件的请示", "拟由民事审判庭牵头协调", ".", "案件涉及多个部门", ".",
		"建议民事审判庭牵头", ".", ".", "", "", "", "1", "", "", "", "", ".", "" /* no files */, "", "y"), "已报请 周庭长 签发", "（→ 私信 周庭长）", "[签发 #1]", "[退回修改 #1]")
	expect(console("zhou", "/click 签发 #1"), "已签发", "（→ 私信 吴副庭长）", "台账编号 "+n)
	// 赵书记: the card's button, named as any session shows it; the form names the matter.
	out := console("zhao", "/click 批示 "+n, "同意，请民事审判庭牵头办理。", ".", "2", "1", "")
	expect(out, "== 批示 ==", n+" 关于跨部门协调执行案件的请示", "已批示、转办", "（→ 私信 郑庭长）", "[报告办结 "+n+"]", "（→ 私信 钱主任）")
	// 郑庭长, lead unit: his notice's buttons.
	expect(console("zheng", "/click 落实反馈 "+n, "已约谈双方当事人。", "."), "已落实反馈")
	// 吴副庭长, assisting unit: typed; completion is not his to report.
	expect(console("wu", "反馈 "+n+" 刑庭已移送卷宗", "办结 "+n+" 已办完"), "已落实反馈", "只有")
	expect(console("zheng", "/click 报告办结 "+n, "已协调完毕。", "."), "已报告办结", "（→ 私信 钱主任）", "[销号 "+n+"]")
	expect(console("qian", "销号 "+n), "已销号")
	expect(console("jiang", "status "+n), n) // an admin: sees no content, but the bot answers

	s, err := store.Open(data, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	m, err := s.Lookup(context.Background(), n)
	if err != nil {
		t.Fatal(err)
	}
	var acts []string
	for _, ev := range m.History {
		acts = append(acts, string(ev.Action)+":"+string(ev.Actor))
	}
	want := "ask_sign_off:wu sign:zhou instruct:zhao refer:zhao progress:zheng progress:wu complete:zheng close:qian"
	if got := strings.Join(acts, " "); got != want || m.Status != briefbot.StatusClosed || m.Signatory != "zhou" || m.Submitter != "wu" {
		t.Fatalf("history = %s (%s)\nwant      %s", got, m.Status, want)
	}
}
