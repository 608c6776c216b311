package briefings_test

import (
	"strings"
	"testing"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/briefings"
)

// TestAttachedFiles: an item says how many files are attached; the printable page
// lists them by name, escaped; a restricted item says nothing of them.
func TestAttachedFiles(t *testing.T) {
	b := newBuilder(t)
	files := []briefbot.File{{Name: "签发件.pdf", Size: 10, Type: "pdf"}, {Name: "扫描<件>.ofd", Size: 20, Type: "ofd"}}
	m := b.submit(&briefbot.Matter{Kind: briefbot.KindRequest, Title: "关于公开审理的请示", RequestedItem: "公开审理", Files: files}, at(-1, 0))
	r := b.submit(&briefbot.Matter{Kind: briefbot.KindRequest, Title: "限定范围的请示", RequestedItem: "某事项", Restricted: []briefbot.MemberID{"zhao"},
		Files: []briefbot.File{{Name: "XYZZY.pdf", Size: 1, Type: "pdf"}}}, at(-1, 0))
	br := briefings.Compose([]*briefbot.Matter{m, r}, options())
	for name, out := range map[string]string{"mrkdwn": br.Mrkdwn(), "markdown": br.Markdown(), "html": br.HTML()} {
		if !strings.Contains(out, "附件：2 份") {
			t.Errorf("%s lacks the count of attached files:\n%s", name, out)
		}
		if strings.Contains(out, "XYZZY") || strings.Count(out, "附件：") != 1 {
			t.Errorf("%s tells of a restricted matter's files:\n%s", name, out)
		}
	}
	html := br.HTML()
	if !strings.Contains(html, "签发件.pdf") || !strings.Contains(html, "扫描&lt;件&gt;.ofd") {
		t.Errorf("the printable page does not list the files, escaped:\n%s", html)
	}
	if strings.Contains(br.Mrkdwn(), "签发件.pdf") {
		t.Errorf("the chat briefing lists file names; it should only count them")
	}
}
