package briefings

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/briefbot/briefbot"
)

// escape must behave exactly as bot.Escape (bot/escape.go), which briefings cannot
// import: the same replacements, nothing more.
func TestEscape(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"关于某案的请示", "关于某案的请示"},
		{"<!channel> *x* <http://evil|y>", "&lt;!channel&gt; ＊x＊ &lt;http://evil|y&gt;"},
		{"<@U0123> & <#C1>", "&lt;@U0123&gt; &amp; &lt;#C1&gt;"},
		{"_i_ ~s~ `c` ```pre```", "＿i＿ ～s～ ｀c｀ ｀｀｀pre｀｀｀"},
		{"&amp;", "&amp;amp;"},
		{"> quote", "&gt; quote"},
		{"a|b [c](d) #e", "a|b [c](d) #e"},
	} {
		if got := escape(tc.in); got != tc.want {
			t.Errorf("escape(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

func TestEscapeMarkdown(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"关于某案的请示", "关于某案的请示"},
		{"[x](http://e) ![i](u) <b> `c` *e* _u_ ~s~ a|b & #h \\", `\[x\](http://e) \!\[i\](u) \<b\> \` + "`" + `c\` + "`" + ` \*e\* \_u\_ \~s\~ a\|b \& \#h \\`},
	} {
		if got := escapeMarkdown(tc.in); got != tc.want {
			t.Errorf("escapeMarkdown(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

func TestClip(t *testing.T) {
	const tail = "…（详见台账 QS-2026-0017）" // 20 characters
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"", 10, ""},
		{"  短标题  ", 10, "短标题"},
		{"一行\n两行\t\r\n三行", 10, "一行 两行 三行"},
		{"0123456789", 10, "0123456789"},
		{strings.Repeat("字", 30), 25, strings.Repeat("字", 5) + tail},
		{"abcde fghijklmnopqrstuvwxyz0123456789", 25, "abcde" + tail},
		{"abcdefghijklmnopqrstuvwxyz", 25, "abcde" + tail},
		{"abcdefghijklmnopqrstuvwxy", 25, "abcdefghijklmnopqrstuvwxy"},
		{"全角　空格 和 其他", 25, "全角 空格 和 其他"},
		{"，。、“”《》…—", 25, "，。、“”《》…—"},
		{"bad\xffbyte", 25, "bad\ufffdbyte"},
		{"stray\x80\xbf", 25, "stray\ufffd\ufffd"},
		{"cut\xe4\xb8", 25, "cut\ufffd\ufffd"},
		{"surrogate\xed\xa0\x80", 25, "surrogate\ufffd\ufffd\ufffd"},
		{"overlong\xe0\x80\xaf", 25, "overlong\ufffd\ufffd\ufffd"},
		{"emoji😀ok", 25, "emoji😀ok"},
		{"\xf4\x90\x80\x80", 25, "\ufffd\ufffd\ufffd\ufffd"},
	} {
		got := clip(tc.in, tc.n, func() string { return tail })
		if got != tc.want {
			t.Errorf("clip(%q, %d) = %q; want %q", tc.in, tc.n, got, tc.want)
		}
		if n := utf8.RuneCountInString(got); n > tc.n {
			t.Errorf("clip(%q, %d) has %d characters", tc.in, tc.n, n)
		}
		if !utf8.ValidString(got) {
			t.Errorf("clip(%q, %d) = %q: not valid UTF-8", tc.in, tc.n, got)
		}
		if runeCount(got) != utf8.RuneCountInString(got) {
			t.Errorf("runeCount(%q) = %d; want %d", got, runeCount(got), utf8.RuneCountInString(got))
		}
	}
	long := strings.Repeat("长", 1_000_000)
	if got := clip(long, 120, func() string { return tail }); utf8.RuneCountInString(got) != 120 || !strings.HasSuffix(got, tail) {
		t.Errorf("clip of a long text = %d characters", utf8.RuneCountInString(got))
	}
}

func TestFormat(t *testing.T) {
	for _, tc := range []struct {
		pattern string
		args    []any
	}{
		{"%d年第%d期", []any{2026, 9}},
		{"No. %[2]d (%[1]d)", []any{2026, 9}},
		{"%[2]s — %[1]s — %[3]s", []any{"a", "b", "c"}},
		{"100%% %s", []any{"x"}},
		{"%s批示（%s）：%s", []any{"赵书记", "3月1日", "同意。"}},
		{"%v %s", []any{"1.5", "x"}},
		{"%d", []any{"not an int"}},
		{"%s %s", []any{"missing"}},
		{"trailing %", []any{"x"}},
	} {
		if got, want := string(appendFormat([]byte("kept:"), tc.pattern, tc.args...)), "kept:"+fmt.Sprintf(tc.pattern, tc.args...); got != want {
			t.Errorf("format(%q, %v) = %q; want %q", tc.pattern, tc.args, got, want)
		}
	}
	// The strings of the package, with arguments of the kinds their verbs want.
	for _, tc := range []struct {
		t    text
		args []any
	}{
		{strIssue, []any{2026, 9}}, {strHeader, []any{"党组", "简报", "第9期"}}, {strCompiledBy, []any{"法院", "办公室"}}, {strOrgOffice, []any{"法院"}},
		{strAgeWorking, []any{3}}, {strInstructed, []any{"赵", "3月1日", "同意"}}, {strFeedback, []any{"进展", "3月1日", "完成"}},
		{strReplyHeader, []any{"简报", 2, 5}}, {strMoreInThread, []any{40, 3}}, {strCutPointer, []any{"QS-2026-0017"}},
	} {
		for _, p := range []string{tc.t.ZH, tc.t.EN} {
			if got, want := string(appendFormat(nil, p, tc.args...)), fmt.Sprintf(p, tc.args...); got != want {
				t.Errorf("format(%q, %v) = %q; want %q", p, tc.args, got, want)
			}
		}
	}
}

func TestLedger(t *testing.T) {
	for _, n := range []briefbot.Number{{}, {Kind: briefbot.KindRequest, Year: 2026, Seq: 17}, {Kind: briefbot.KindReport, Year: 2026, Seq: 4242},
		{Kind: briefbot.KindFiling, Year: 999, Seq: 123456}, {Kind: briefbot.KindRequest, Year: 2026, Seq: 1}} {
		if got, want := ledger(n), n.String(); got != want {
			t.Errorf("ledger(%v) = %q; want %q", n, got, want)
		}
	}
}

func TestRuneCount(t *testing.T) {
	for _, s := range []string{"", "a", "字", "abcdefgh", "关于某案件审理有关问题的请示", strings.Repeat("a字😀", 50), "\u00a0\u3000x"} {
		if got, want := runeCount(s), utf8.RuneCountInString(s); got != want {
			t.Errorf("runeCount(%q) = %d; want %d", s, got, want)
		}
	}
}

func TestEscapeTo(t *testing.T) {
	for _, s := range []string{"", "plain", "<!channel> *x* <http://evil|y>", strings.Repeat("长", 40) + "_x_", strings.Repeat("长", 40),
		strings.Repeat("a&b", 30), "[x](y) \\ # ! |"} {
		var b strings.Builder
		escapeTo(&b, s, &mrkdwnEscapes)
		if got, want := b.String(), escape(s); got != want {
			t.Errorf("escapeTo(%q, mrkdwn) = %q; want %q", s, got, want)
		}
		b.Reset()
		escapeTo(&b, s, &markdownEscapes)
		if got, want := b.String(), escapeMarkdown(s); got != want {
			t.Errorf("escapeTo(%q, markdown) = %q; want %q", s, got, want)
		}
		b.Reset()
		(&mrkdwnOut{w: &b}).runBytes([]byte(s), false)
		if got, want := b.String(), escape(s); got != want {
			t.Errorf("runBytes(%q, mrkdwn) = %q; want %q", s, got, want)
		}
	}
}
