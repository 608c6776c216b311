package briefings_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/blockkit"
	"github.com/briefbot/briefbot/briefings"
)

var update = flag.Bool("update", false, "update the golden files in testdata/")

// golden compares got with testdata/name, or writes it there under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (run go test -update and review the diff)\n%s",
			name, firstDiff(got, string(want)))
	}
}

// firstDiff shows the first line where got and want differ.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return "line " + itoa(i+1) + ":\n got: " + gl + "\nwant: " + wl
		}
	}
	return ""
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

// lateOptions are the fixed options of the golden files: a catch-up issue.
func lateOptions(lang briefbot.Lang) briefings.Options {
	o := options()
	o.Late, o.ScheduledAt, o.Lang = true, at(-3, -1), lang
	return o
}

func TestGolden(t *testing.T) {
	ms, _ := fixture(t)
	zh := briefings.Compose(ms, lateOptions(briefbot.LangZH))
	en := briefings.Compose(ms, lateOptions(briefbot.LangEN))
	golden(t, "briefing.zh.md", zh.Markdown())
	golden(t, "briefing.zh.html", zh.HTML())
	golden(t, "briefing.zh.mrkdwn", zh.Mrkdwn())
	golden(t, "briefing.en.md", en.Markdown())
	golden(t, "briefing.en.html", en.HTML())
	blocks, err := json.MarshalIndent(zh.BlockKit(), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "briefing.zh.blocks.json", string(blocks)+"\n")
}

// renderings returns every rendering of b as text, Block Kit as its JSON.
func renderings(t *testing.T, b *briefings.Briefing) map[string]string {
	t.Helper()
	blocks, err := json.Marshal(b.BlockKit())
	if err != nil {
		t.Fatal(err)
	}
	stored, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{
		"Mrkdwn": b.Mrkdwn(), "Markdown": b.Markdown(), "HTML": b.HTML(),
		"BlockKit": string(blocks), "Briefing JSON": string(stored),
	}
}

func TestRestricted(t *testing.T) {
	ms, _ := fixture(t)
	for _, lang := range []briefbot.Lang{briefbot.LangZH, briefbot.LangEN} {
		o := options()
		o.Lang = lang
		b := briefings.Compose(ms, o)
		placeholder := map[briefbot.Lang]string{briefbot.LangZH: "限定范围（内容另行送阅）", briefbot.LangEN: "Restricted circulation"}[lang]
		for name, out := range renderings(t, b) {
			if strings.Contains(out, restrictedMark) {
				t.Errorf("%s (%s) shows restricted content %q", name, lang, restrictedMark)
			}
			if name != "Briefing JSON" && !strings.Contains(out, placeholder) {
				t.Errorf("%s (%s) has no placeholder %q", name, lang, placeholder)
			}
			if !strings.Contains(out, "QS-2026-0005") {
				t.Errorf("%s (%s) does not list the restricted matter's number", name, lang)
			}
		}
	}
	// The placeholder line names the number and the department, and nothing else.
	b := briefings.Compose(ms, options())
	for _, l := range strings.Split(b.Mrkdwn(), "\n") {
		if strings.Contains(l, "QS-2026-0005") {
			if got, want := l, "*2. QS-2026-0005* · 刑事审判庭 · 限定范围（内容另行送阅）"; got != want {
				t.Errorf("placeholder line = %q; want %q", got, want)
			}
		}
	}
}

// mrkdwnTexts collects every mrkdwn string of msgs: the fallback texts and every
// mrkdwn text object in the blocks.
func mrkdwnTexts(msgs []briefings.Message) []string {
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
	for _, m := range msgs {
		out = append(out, m.Text)
		for _, b := range m.Blocks {
			walk(b)
		}
	}
	return out
}

func TestEscaping(t *testing.T) {
	ms, _ := fixture(t)
	for _, lang := range []briefbot.Lang{briefbot.LangZH, briefbot.LangEN} {
		o := options()
		o.Lang = lang
		b := briefings.Compose(ms, o)
		msgs := b.BlockKit()
		texts := append(mrkdwnTexts(msgs), b.Mrkdwn())
		found := false
		for _, s := range texts {
			// Nothing of ours puts <, > or a raw & in mrkdwn: any there came from user text.
			if strings.ContainsAny(s, "<>") || strings.Contains(strings.NewReplacer("&amp;", "", "&lt;", "", "&gt;", "").Replace(s), "&") {
				t.Errorf("unescaped mrkdwn (%s): %q", lang, s)
			}
			for _, bad := range []string{"*x*", "_u_", "~s~", "`c`"} {
				if strings.Contains(s, bad) {
					t.Errorf("formatting mark %q reached mrkdwn (%s): %q", bad, lang, s)
				}
			}
			found = found || strings.Contains(s, "&lt;!channel&gt; ＊x＊ &lt;http://evil|y&gt;")
		}
		if !found {
			t.Errorf("the escaped title is in no mrkdwn text (%s)", lang)
		}

		html := b.HTML()
		for _, bad := range []string{"<!channel>", "<script>", "<b>bold</b>", "<http://evil"} {
			if strings.Contains(html, bad) {
				t.Errorf("HTML (%s) contains %q", lang, bad)
			}
		}
		if !strings.Contains(html, "&lt;!channel&gt; *x* &lt;http://evil|y&gt;") {
			t.Errorf("HTML (%s) does not show the title escaped", lang)
		}

		md := b.Markdown()
		for i, r := range md {
			if strings.ContainsRune("<>[]*_`&", r) && (i == 0 || md[i-1] != '\\') && !ourMarkdown(md, i) {
				t.Errorf("Markdown (%s) has an unescaped %q at %q", lang, r, md[max(0, i-20):min(len(md), i+20)])
			}
		}
		if !strings.Contains(md, `\<\!channel\> \*x\* \<http://evil\|y\>`) {
			t.Errorf("Markdown (%s) does not show the title escaped", lang)
		}
	}
}

func TestLate(t *testing.T) {
	ms, _ := fixture(t)
	b := briefings.Compose(ms, lateOptions(briefbot.LangZH))
	for name, out := range renderings(t, b) {
		if name != "Briefing JSON" && !strings.Contains(out, "本期为补发，原定于 2月27日 08:00 编发。") {
			t.Errorf("%s does not say the issue is late", name)
		}
	}
	on := briefings.Compose(ms, options())
	if strings.Contains(on.Mrkdwn(), "补发") {
		t.Errorf("an on-time briefing says it is late")
	}
}

func TestEmpty(t *testing.T) {
	b := briefings.Compose(nil, options())
	msgs := b.BlockKit()
	if err := blockkit.Validate(msgs...); err != nil {
		t.Fatal(err)
	}
	for name, out := range renderings(t, b) {
		if name != "Briefing JSON" && !strings.Contains(out, "本期无需列报的事项。") {
			t.Errorf("%s of an empty briefing does not say so", name)
		}
	}
}

func TestHTMLSelfContained(t *testing.T) {
	ms, _ := fixture(t)
	html := briefings.Compose(ms, options()).HTML()
	if !strings.HasPrefix(html, "<!DOCTYPE html>") || !strings.HasSuffix(strings.TrimSpace(html), "</html>") {
		t.Errorf("not a complete HTML document")
	}
	for _, bad := range []string{"http://", "https://", "<script", "<link", "<img", "@import", "url("} {
		if strings.Contains(strings.ReplaceAll(html, "http://evil", ""), bad) {
			t.Errorf("HTML refers to something outside the page: %q", bad)
		}
	}
	for _, want := range []string{"@page", "size: A4", `"Noto Serif CJK SC", "Source Han Serif SC", "Noto Sans CJK SC", serif`,
		`<h1 class="masthead">重大事项简报</h1>`, `<p class="issue">2026年第9期</p>`,
		"<span>某市中级人民法院办公室编</span><span>2026年3月2日</span>", "发送：赵书记、王副书记", "抄送：钱秘书"} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
}

func TestBlockKitShape(t *testing.T) {
	ms, _ := fixture(t)
	msgs := briefings.Compose(ms, options()).BlockKit()
	if err := blockkit.Validate(msgs...); err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 {
		t.Fatalf("%d messages; want the fixture in one", len(msgs))
	}
	bs := msgs[0].Blocks
	if bs[0]["type"] != "header" || bs[1]["type"] != "context" || bs[2]["type"] != "section" || bs[2]["fields"] == nil {
		t.Errorf("parent does not start with header, meta and summary: %v, %v, %v", bs[0]["type"], bs[1]["type"], bs[2]["type"])
	}
	if got, want := bs[0]["text"].(map[string]any)["text"], "党组重大事项简报　2026年第9期"; got != want {
		t.Errorf("header = %q; want %q", got, want)
	}
	// Every item has its buttons, valued with its ledger number; read only where legal.
	buttons := map[string][]string{}
	for _, b := range bs {
		if b["type"] != "actions" {
			continue
		}
		for _, e := range b["elements"].([]any) {
			e := e.(map[string]any)
			buttons[e["value"].(string)] = append(buttons[e["value"].(string)], e["action_id"].(string))
		}
	}
	if got, want := len(buttons), 12; got != want {
		t.Errorf("%d items with buttons; want %d", got, want)
	}
	for n, want := range map[string]string{
		"QS-2026-0003": "instruct read status", // awaiting
		"BG-2026-0005": "instruct read status", // in progress
		"QS-2026-0007": "instruct status",      // completed: no read
		"QS-2026-0005": "instruct read status", // restricted: the bot checks who may act
	} {
		if got := strings.Join(buttons[n], " "); got != want {
			t.Errorf("buttons of %s = %q; want %q", n, got, want)
		}
	}
	if !strings.Contains(msgs[0].Text, "待批示的请示：3 件（逾期 1 件）") {
		t.Errorf("fallback text lacks the counts: %q", msgs[0].Text)
	}
}

// TestBlockKit500: with every item shown (a committee that asks for it), 500 matters
// become a thread of messages, each within Slack's limits.
func TestBlockKit500(t *testing.T) {
	ms := bulk(t, 500, 30, 300)
	o := options()
	o.SlackItems = 1000
	b := briefings.Compose(ms, o)
	if b.Counts.Listed < 300 {
		t.Fatalf("only %d of 500 listed", b.Counts.Listed)
	}
	msgs := b.BlockKit()
	if err := blockkit.Validate(msgs...); err != nil {
		t.Fatal(err)
	}
	checkThread(t, b, msgs)
	t.Logf("%d items in %d messages", b.Counts.Listed, len(msgs))
}

func TestBlockKitLong(t *testing.T) {
	ms := bulk(t, 60, 10000, 10000)
	for i := range 200 {
		m := bulk(t, 1, 10000, 10000)[0]
		m.Number.Seq = 1000 + i
		m.Urgency = briefbot.UrgencyExtraUrgent
		ms = append(ms, m)
	}
	o := options()
	o.SlackItems = 1000
	b := briefings.Compose(ms, o)
	if got := b.Counts.Urgent; got < 200 {
		t.Fatalf("%d urgent items; want at least 200", got)
	}
	msgs := b.BlockKit()
	if err := blockkit.Validate(msgs...); err != nil {
		t.Fatal(err)
	}
	checkThread(t, b, msgs)
	if !strings.Contains(b.Mrkdwn(), "…（详见台账 QS-2026-1000）") {
		t.Errorf("long text is not cut with a pointer to the ledger")
	}
	t.Logf("%d items in %d messages", b.Counts.Listed, len(msgs))
}

// checkThread checks every item is in exactly one message, replies start with a
// context naming the briefing, and the distribution ends the last message.
func checkThread(t *testing.T, b *briefings.Briefing, msgs []briefings.Message) {
	t.Helper()
	seen := 0
	for i, m := range msgs {
		for _, bl := range m.Blocks {
			if bl["type"] == "actions" {
				seen++
			}
		}
		if i > 0 {
			if msgs[i].Blocks[0]["type"] != "context" || !strings.Contains(m.Text, "（续 ") {
				t.Errorf("reply %d does not start with a context naming the briefing: %q", i, m.Text)
			}
			// Then the title of the section it goes on with.
			head, _ := m.Blocks[1]["text"].(map[string]any)["text"].(string)
			if !strings.HasPrefix(head, "*") || !strings.Contains(head, "、") ||
				!strings.Contains(head, "（续）") && !strings.Contains(head, " 件）") {
				t.Errorf("reply %d goes on without a section title: %q", i, head)
			}
		}
	}
	want := 0
	for _, s := range b.Sections {
		if s.Kind == briefings.SectionUrgent {
			want += len(s.Items)
		} else {
			want += min(len(s.Items), b.SlackItems)
		}
	}
	if seen != want {
		t.Errorf("%d items across the messages; want %d", seen, want)
	}
	last := msgs[len(msgs)-1].Blocks
	raw, _ := json.Marshal(last[len(last)-1])
	if !bytes.Contains(raw, []byte("发送：")) {
		t.Errorf("last message does not end with the distribution: %s", raw)
	}
}

// ourMarkdown reports whether the mark at md[i] is one the renderer writes itself: the
// ** of strong text.
func ourMarkdown(md string, i int) bool {
	return strings.HasPrefix(md[i:], "**") || (i > 0 && md[i-1] == '*' && (i < 2 || md[i-2] != '\\'))
}

// The political-legal commission's office is no part of the court: its briefings and
// monthly reports name the office as configured, in full, and never put the court's
// name before it, in any rendering or language.
func TestCommissionOfficeStandsAlone(t *testing.T) {
	const office = "中共某市委政法委员会办公室"
	org := testOrg()
	for i := range org.Committees {
		if org.Committees[i].ID == "pl" {
			org.Committees[i].Office = office
		}
	}
	ms, _ := fixture(t)
	for _, lang := range []briefbot.Lang{briefbot.LangZH, briefbot.LangEN} {
		want := map[briefbot.Lang]string{briefbot.LangZH: office + "编", briefbot.LangEN: "Compiled by: " + office}[lang]
		o := options()
		o.Org, o.Committee, o.Lang = org, "pl", lang
		docs := renderings(t, briefings.Compose(ms, o))
		delete(docs, "Briefing JSON")
		so := statsOptions()
		so.Org, so.Committee, so.Lang = org, "pl", lang
		s := briefings.ComputeStats(statsFixture(t), so)
		docs["report Mrkdwn"], docs["report Markdown"], docs["report HTML"] = s.Mrkdwn(), s.Markdown(), s.HTML()
		for name, out := range docs {
			if !strings.Contains(out, want) {
				t.Errorf("%s (%s) lacks %q", name, lang, want)
			}
			for _, l := range strings.Split(out, "\n") {
				if strings.Contains(l, office) && strings.Contains(l, org.Name) {
					t.Errorf("%s (%s) joins the court's name to the commission's office:\n%s", name, lang, l)
				}
			}
			for _, joined := range []string{org.Name + office, org.Name + "市委政法委", org.Name + "中共"} {
				if strings.Contains(out, joined) {
					t.Errorf("%s (%s) shows %q", name, lang, joined)
				}
			}
		}
	}
}

// A briefing stored before offices were named in full (JSON "office": the short name,
// printed after the organisation's) renders again as it was issued.
func TestStoredBriefingRendersAsIssued(t *testing.T) {
	var b briefings.Briefing
	doc := `{"lang":"zh","committee":"party","committee_name":"党组","org_name":"某市中级人民法院","office":"办公室",
		"title":"重大事项简报","year":2026,"issue":3,"now":"2026-03-02T09:00:00+08:00","sections":[],"counts":{}}`
	if err := json.Unmarshal([]byte(doc), &b); err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{"Markdown": b.Markdown(), "HTML": b.HTML(), "Mrkdwn": b.Mrkdwn()} {
		if !strings.Contains(out, "某市中级人民法院办公室编") {
			t.Errorf("%s of a stored briefing lacks 某市中级人民法院办公室编:\n%.400s", name, out)
		}
	}
	// And a briefing composed now stores the office in full, under its own key.
	stored, _ := json.Marshal(briefings.Compose(nil, options()))
	if !strings.Contains(string(stored), `"compiling_office":"某市中级人民法院办公室"`) || strings.Contains(string(stored), `"office":`) {
		t.Errorf("stored: %s", stored)
	}
}

// TestBlockKit_ALeaderReadsAFewOfEachSection: 500 open matters; in Slack each section
// lists the configured number of items (urgent ones always all) and ends saying how
// many more there are and the command that lists them; the printable page lists
// every item. A briefing stored before the setting (0) shows everything, as it did.
func TestBlockKit_ALeaderReadsAFewOfEachSection(t *testing.T) {
	ms := bulk(t, 500, 30, 300)
	for _, m := range ms[:25] {
		m.Urgency = briefbot.UrgencyExtraUrgent
	}
	o := options()
	o.SlackItems = 5
	o.Command = "/事项"
	b := briefings.Compose(ms, o)
	msgs := b.BlockKit()
	if err := blockkit.Validate(msgs...); err != nil {
		t.Fatal(err)
	}
	checkThread(t, b, msgs)
	raw, _ := json.Marshal(msgs)
	text := string(raw)
	for _, s := range b.Sections {
		switch {
		case s.Kind == briefings.SectionUrgent:
			if len(s.Items) < 25 {
				t.Fatalf("%d urgent items; want the 25", len(s.Items))
			}
			for _, it := range s.Items {
				if !strings.Contains(text, it.Number.String()) {
					t.Errorf("urgent item %s is not shown in full", it.Number)
				}
			}
		case len(s.Items) > 5:
			scope := map[briefings.SectionKind]string{briefings.SectionAwaiting: "awaiting", briefings.SectionOverdue: "overdue"}[s.Kind]
			if scope == "" {
				scope = "all"
			}
			line := fmt.Sprintf("本部分另有 %d 件未在此列出：发送 `/事项 list %s` 查看全部", len(s.Items)-5, scope)
			if !strings.Contains(text, line) {
				t.Errorf("section %s (%d items) lacks %q", s.Kind, len(s.Items), line)
			}
			if strings.Contains(text, s.Items[5].Number.String()+"\"") || strings.Contains(text, "\""+s.Items[5].Number.String()) {
				t.Errorf("section %s shows its sixth item %s", s.Kind, s.Items[5].Number)
			}
		}
	}
	if md := b.Mrkdwn(); !strings.Contains(md, "本部分另有") {
		t.Errorf("the mrkdwn rendering is not cut the same way")
	}
	page := b.HTML()
	for _, s := range b.Sections {
		for _, it := range s.Items {
			if !strings.Contains(page, it.Number.String()) {
				t.Fatalf("the printable page lacks %s", it.Number)
			}
		}
	}
	var stored briefings.Briefing
	doc, _ := json.Marshal(b)
	json.Unmarshal(doc, &stored)
	stored.SlackItems = 0 // as a briefing stored before the setting
	if got := len(stored.BlockKit()); got <= len(msgs) {
		t.Errorf("a briefing stored before the setting renders in %d messages; want all its items (more than %d)", got, len(msgs))
	}
}

// TestDocument_LargeBriefingsKeptCompressed: a briefing of thousands of items is kept
// in the outbox compressed, small enough for one write to a replicated ledger (1.5 MiB),
// and reads back the same; a small one is kept as plain JSON, as before.
func TestDocument_LargeBriefingsKeptCompressed(t *testing.T) {
	large := briefings.Compose(bulk(t, 10_000, 30, 300), options())
	small := briefings.Compose(bulk(t, 5, 30, 300), options())
	for _, b := range []*briefings.Briefing{large, small} {
		doc, err := b.Document()
		if err != nil {
			t.Fatal(err)
		}
		plain, _ := json.Marshal(b)
		if b == small && !bytes.Equal(doc, plain) {
			t.Errorf("a small briefing's document is not its JSON")
		}
		if b == large && len(doc) > 1<<20 {
			t.Errorf("the document of %d items is %d bytes; want under 1 MiB (its JSON is %d)", b.Counts.Listed, len(doc), len(plain))
		}
		back, err := briefings.ReadDocument(doc)
		if err != nil {
			t.Fatal(err)
		}
		again, _ := json.Marshal(back)
		if !bytes.Equal(again, plain) {
			t.Errorf("the document of %d items does not read back the same", b.Counts.Listed)
		}
	}
	if _, err := briefings.ReadDocument(json.RawMessage(`"bm90IGd6aXA="`)); err == nil {
		t.Errorf("a document that is not gzip read without an error")
	}
}
