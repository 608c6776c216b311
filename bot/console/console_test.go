package console_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/console"
	"github.com/briefbot/briefbot/delivery"
	"github.com/briefbot/briefbot/notices"
	"github.com/briefbot/briefbot/store"
)

func rules() *briefbot.Rules {
	return &briefbot.Rules{
		Org: briefbot.Org{
			Name: "测试法院",
			Committees: []briefbot.Committee{
				{ID: "party", Name: "党组", Leaders: []briefbot.MemberID{"zhao"}, Clerks: []briefbot.MemberID{"qian"}},
				{ID: "pl", Name: "政法委", Leaders: []briefbot.MemberID{"sun"}, Clerks: []briefbot.MemberID{"li"}},
			},
			Departments: []briefbot.Department{{ID: "criminal", Name: "刑事审判庭", Principal: "zhou", Heads: []briefbot.MemberID{"wu"}, Delegates: []briefbot.Delegation{{Member: "wu"}} /* 授权签发: wu signs off his own submissions */}},
			Members: []briefbot.Member{{ID: "zhao", Name: "赵书记"}, {ID: "qian", Name: "钱主任"}, {ID: "sun", Name: "孙书记"},
				{ID: "li", Name: "李主任"}, {ID: "zhou", Name: "周庭长"}, {ID: "wu", Name: "吴副庭长"}},
		},
		Intake:        briefbot.DefaultIntakeRules(),
		FollowThrough: briefbot.DefaultFollowThrough(),
	}
}

// session runs a console over script as member and returns everything it printed.
func session(t *testing.T, s *store.Store, as briefbot.MemberID, script string) string {
	t.Helper()
	var out strings.Builder
	r := rules()
	get := func() *briefbot.Rules { return r }
	now := func() time.Time { return time.Date(2026, 3, 2, 10, 0, 0, 0, briefbot.DefaultLocation()) }
	b := bot.New(s, get, &notices.Producer{Ledger: s, Rules: get, Now: now}, bot.Options{Now: now})
	p := console.NewPrinter(&out, get)
	d := &delivery.Deliverer{Store: s, Sender: p, Renderer: &notices.Renderer{Matters: s, Rules: get, Now: now}, Rules: get}
	c := console.New(strings.NewReader(script), p, as, b, d.DeliverAll) // the console delivers at once, as it does in use
	if err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

func openStore(t *testing.T) *store.Store {
	s, err := store.Open(filepath.Join(t.TempDir(), "c.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestConsole_ModalBecomesAPromptedForm(t *testing.T) {
	s := openStore(t)
	script := strings.Join([]string{
		"/matter new",
		"", // kind: keep 请示
		"关于张某涉黑案公开审理的请示",       // title
		"拟对张某涉黑案依法公开开庭审理", ".", // requested item
		"该案社会关注度高", ".", // reasons
		".",    // recommendation left empty: refused below
		".",    // body (optional)
		"",     // department: the default
		"", "", // decision, urgency: defaults
		"1",           // addressee 党组
		"",            // copied
		"",            // category
		"",            // answer by
		"",            // related
		".",           // attachments
		"",            // restricted
		"y",           // unclassified
		"建议公开审理", ".", // asked again: the recommendation only
		"list",
		"/click 查看详情 QS-2026-0001",
	}, "\n") + "\n"
	out := session(t, s, "wu", script)
	for _, want := range []string{
		"== 报送重大事项 ==",
		"请修改以下内容",
		"本单位意见建议：请示须提出本单位的意见建议",
		"已收到您报送的请示，台账编号 QS-2026-0001",
		"QS-2026-0001 关于张某涉黑案公开审理的请示",
		"【QS-2026-0001 关于张某涉黑案公开审理的请示】",
		"办理记录",
	} {
		if !strings.Contains(out, want) {
			t.Fatalf("console output lacks %q:\n%s", want, out)
		}
	}
	m, err := s.Lookup(context.Background(), "QS-2026-0001")
	if err != nil || m.Recommendation != "建议公开审理" || m.RequestedItem != "拟对张某涉黑案依法公开开庭审理" {
		t.Fatalf("stored = %+v, %v", m, err)
	}
}

func TestConsole_IdentityAndDM(t *testing.T) {
	s := openStore(t)
	out := session(t, s, "wu", strings.Join([]string{
		"/whoami", "/as 钱主任", "new", "/as nobody", "/as wu",
		"new filing", "情况报备", "正文", "无", "1", "1", "无", "无", "无", "无", "无", "是", "提交",
		"/as 赵书记", "status BB-2026-0001", "/home", "/bogus", "/click 99", "/quit", "help",
	}, "\n")+"\n")
	for _, want := range []string{
		"acting as: 吴副庭长（wu）",
		"acting as: 钱主任（qian）",
		"只有部门主要负责人或负责人可以报送事项",
		`No member "nobody"`,
		"台账编号 BB-2026-0001",
		"【BB-2026-0001 情况报备】",
		"待您批示的事项",
		"Unknown console command",
		"没有听懂“99”",
	} {
		if !strings.Contains(out, want) {
			t.Fatalf("console output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "/matter status") { // help after /quit must not run
		t.Fatalf("console ran past /quit")
	}
}

func TestConsole_CancelledFormStoresNothing(t *testing.T) {
	s := openStore(t)
	out := session(t, s, "wu", "/matter new\n\n标题\n/cancel\nlist mine\n")
	if !strings.Contains(out, "已取消") || !strings.Contains(out, "没有找到") {
		t.Fatalf("output:\n%s", out)
	}
	// End of input in the middle of a form is a cancel too.
	session(t, s, "wu", "/matter new\n\n标题\n")
	if p, _ := s.List(context.Background(), briefbot.Filter{}); len(p.Matters) != 0 {
		t.Fatalf("a cancelled form stored %d matters", len(p.Matters))
	}
}

// TestConsole_APanicIsAnsweredAndTheConsoleCarriesOn: a panic while handling a line
// (here in the outbox run after it) prints the apology with an incident id, and the
// next line is served.
func TestConsole_APanicIsAnsweredAndTheConsoleCarriesOn(t *testing.T) {
	s := openStore(t)
	var out strings.Builder
	r := rules()
	get := func() *briefbot.Rules { return r }
	b := bot.New(s, get, &notices.Producer{Ledger: s, Rules: get}, bot.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	calls := 0
	deliver := func(context.Context) error {
		if calls++; calls == 1 {
			panic("bug in the outbox")
		}
		return nil
	}
	c := console.New(strings.NewReader("help\n/whoami\n"), console.NewPrinter(&out, get), "wu", b, deliver)
	if err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if !regexp.MustCompile(`系统出错.*\d{8}-\d{6}-[0-9a-f]{8}`).MatchString(got) {
		t.Fatalf("no apology with an incident id:\n%s", got)
	}
	if i := strings.Index(got, "系统出错"); !strings.Contains(got[i:], "吴副庭长") {
		t.Fatalf("the console did not carry on after the panic:\n%s", got)
	}
}
