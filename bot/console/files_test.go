package console_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/console"
	"github.com/briefbot/briefbot/delivery"
	"github.com/briefbot/briefbot/files"
	"github.com/briefbot/briefbot/notices"
)

func TestConsole_AttachesALocalFileByPath(t *testing.T) {
	s := openStore(t)
	fstore, err := files.Open(filepath.Join(t.TempDir(), "files"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	doc := []byte("%PDF-1.7 关于公开审理的请示（签发件）")
	path := filepath.Join(dir, "签发件.pdf")
	if err := os.WriteFile(path, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	script := strings.Join([]string{
		"/matter new", "",
		"关于张某涉黑案公开审理的请示",
		"拟对张某涉黑案依法公开开庭审理", ".",
		"该案社会关注度高", ".",
		"建议公开审理", ".",
		".", "", "", "", "1", "", "", "", "", ".",
		filepath.Join(dir, "没有这个文件.pdf"), // refused at once: asked again
		path, ".",
		"", "y",
	}, "\n") + "\n"
	var out strings.Builder
	r := rules()
	get := func() *briefbot.Rules { return r }
	now := func() time.Time { return time.Date(2026, 3, 2, 10, 0, 0, 0, briefbot.DefaultLocation()) }
	b := bot.New(s, get, &notices.Producer{Ledger: s, Rules: get, Now: now}, bot.Options{Now: now, Files: fstore, Fetch: console.LocalFiles{}})
	p := console.NewPrinter(&out, get)
	d := &delivery.Deliverer{Store: s, Sender: p, Renderer: &notices.Renderer{Matters: s, Rules: get, Now: now}, Rules: get}
	if err := console.New(strings.NewReader(script), p, "wu", b, d.DeliverAll).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "找不到文件") {
		t.Errorf("a missing path is not reported:\n%s", out.String())
	}
	m, err := s.Lookup(context.Background(), "QS-2026-0001")
	if err != nil {
		t.Fatalf("not stored: %v\n%s", err, out.String())
	}
	h := sha256.Sum256(doc)
	sum := hex.EncodeToString(h[:])
	if len(m.Files) != 1 || m.Files[0].Name != "签发件.pdf" || m.Files[0].SHA256 != sum || !fstore.Has(sum) {
		t.Fatalf("files = %+v", m.Files)
	}
}
