package slackapp_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/slackapp"
	"github.com/briefbot/briefbot/files"
	"github.com/briefbot/briefbot/internal/slacktest"
	"github.com/briefbot/briefbot/notices"
	"github.com/briefbot/briefbot/store"
)

// newFilesHarness is the bot over HTTP with a file store beside its ledger and the
// Slack fetcher, as cmd/briefbot wires it; edit changes the rules.
func newFilesHarness(t *testing.T, edit func(r *briefbot.Rules)) (*harness, *files.Store) {
	t.Helper()
	dir := t.TempDir()
	st, err := store.Open(filepath.Join(dir, "briefbot.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	fstore, err := files.Open(filepath.Join(dir, "files"))
	if err != nil {
		t.Fatal(err)
	}
	fsrv := slacktest.New(t)
	cfg := slackapp.Config{BotToken: slacktest.BotToken, APIURL: fsrv.APIURL()}
	api := slackapp.NewClient(cfg)
	log := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	r := rules()
	if edit != nil {
		edit(r)
	}
	get := func() *briefbot.Rules { return r }
	producer := &notices.Producer{Ledger: st, Rules: get, Log: log}
	b := bot.New(st, get, producer, bot.Options{Logger: log, Files: fstore, Fetch: slackapp.Fetcher{API: slackapp.NewClient(cfg)}})
	app := slackapp.New(api, b, slackapp.Options{Logger: log})
	if err := app.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("POST /slack/events", app.Handler(secret))
	srv := httptest.NewServer(mux)
	t.Cleanup(func() {
		srv.Close()
		app.Close()
		st.Close()
	})
	return &harness{slack: fsrv, store: st, app: app, api: api, url: srv.URL + "/slack/events", rules: get, producer: producer}, fstore
}

// held lists the files in the store (committed and staged).
func held(t *testing.T, s *files.Store) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(s.Dir(), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(s.Dir(), p)
			out = append(out, rel)
		}
		return nil
	})
	return out
}

func hexSum(b []byte) string { h := sha256.Sum256(b); return hex.EncodeToString(h[:]) }

// submitWithFiles submits the good request with files in the form and returns the ack.
func (h *harness) submitWithFiles(t *testing.T, view slacktest.View, mutate func(v slacktest.Values), fileObjs ...map[string]any) (map[string]string, []byte) {
	t.Helper()
	v := goodRequest()
	v["files"] = map[string]any{"files": fileObjs}
	if mutate != nil {
		mutate(v)
	}
	resp, body := h.slack.PostInteraction(t, h.url, secret, h.slack.ViewSubmissionPayload(t, "UWU", view.ID, v))
	if resp.StatusCode != 200 {
		t.Fatalf("HTTP %d %s", resp.StatusCode, body)
	}
	var ack struct {
		Errors map[string]string `json:"errors"`
	}
	if len(bytes.TrimSpace(body)) > 0 {
		json.Unmarshal(body, &ack)
	}
	return ack.Errors, body
}

func TestFiles_FormStoresThemAndTheCardShowsThem(t *testing.T) {
	h, fstore := newFilesHarness(t, nil)
	pdf := []byte("%PDF-1.7 关于张某涉黑案公开审理的请示（已签发）")
	ofd := bytes.Repeat([]byte("OFD"), 5000)
	view := h.openIntake(t, "UWU")
	if !strings.Contains(string(view.Blocks), `"file_input"`) || !strings.Contains(string(view.Blocks), `"ofd"`) {
		t.Fatalf("the intake form has no file input taking OFD: %s", view.Blocks)
	}
	f1 := h.slack.Upload(slacktest.UploadedFile{User: "UWU", Name: "关于公开审理的请示.pdf", Content: pdf})
	f2 := h.slack.Upload(slacktest.UploadedFile{User: "UWU", Name: "扫描件<b>.ofd", Content: ofd})
	payload := h.slack.ViewSubmissionPayload(t, "UWU", view.ID, func() slacktest.Values {
		v := goodRequest()
		v["files"] = map[string]any{"files": []map[string]any{f1, f2}}
		return v
	}())
	for i := range 2 { // a retried submission stores once
		if resp, body := h.slack.PostInteraction(t, h.url, secret, payload); resp.StatusCode != 200 || len(bytes.TrimSpace(body)) > 0 {
			t.Fatalf("submission %d: HTTP %d %s", i, resp.StatusCode, body)
		}
	}
	if n := h.matters(t); n != 1 {
		t.Fatalf("%d matters; want 1", n)
	}
	m, err := h.store.Lookup(context.Background(), "QS-2026-0001")
	if err != nil {
		t.Fatal(err)
	}
	want := []briefbot.File{{Name: "关于公开审理的请示.pdf", Size: int64(len(pdf)), SHA256: hexSum(pdf), Type: "pdf"},
		{Name: "扫描件<b>.ofd", Size: int64(len(ofd)), SHA256: hexSum(ofd), Type: "ofd"}}
	if got, _ := json.Marshal(m.Files); string(got) != string(mustJSON(want)) {
		t.Fatalf("stored files = %s; want %s", got, mustJSON(want))
	}
	for _, f := range want {
		var buf bytes.Buffer
		if _, err := fstore.CopyTo(&buf, f.SHA256); err != nil {
			t.Errorf("file store: %s: %v", f.Name, err)
		}
	}
	if n := len(held(t, fstore)); n != 2 {
		t.Errorf("file store holds %v; want the 2 files once each", held(t, fstore))
	}
	for _, c := range h.slack.Calls(slacktest.MethodFileDownload) {
		if c.Token != slacktest.BotToken {
			t.Errorf("download with token %q", c.Token)
		}
	}
	// The card shows name, size and hash, escaped.
	_, body := h.slack.PostSlash(t, h.url, secret, "UWU", "C1", "status QS-2026-0001")
	for _, s := range []string{"关于公开审理的请示.pdf", hexSum(pdf)[:12], briefbot.SizeText(int64(len(ofd))), `扫描件\u0026lt;b\u0026gt;.ofd`} {
		if !strings.Contains(string(body), s) {
			t.Errorf("card lacks %q: %s", s, body)
		}
	}
}

func mustJSON(v any) []byte { b, _ := json.Marshal(v); return b }

// TestFiles_FormRefusalsStoreNothing: every way a form's files can be wrong is refused
// on the files field, says why without echoing the name, and keeps no matter and no
// file.
func TestFiles_FormRefusalsStoreNothing(t *testing.T) {
	doc := []byte("%PDF-1.7 请示正文")
	for _, tc := range []struct {
		name  string
		file  slacktest.UploadedFile
		fault *slacktest.Fault
		field string
		zh    string // a fragment of the refusal
		// fetches is how many downloads the refusal may make (0: refused before any).
		fetches int
		mutate  func(v slacktest.Values)
	}{
		{name: "ErrMarkedName", file: slacktest.UploadedFile{Name: "机密★XYZZY请示.pdf", Content: doc}, field: "files", zh: "密级"},
		{name: "ErrExe", file: slacktest.UploadedFile{Name: "XYZZY.exe", Content: doc}, field: "files", zh: "pdf、ofd"},
		{name: "ErrDeclaredTooLarge", file: slacktest.UploadedFile{Name: "XYZZY.pdf", Content: doc, Size: 21 << 20}, field: "files", zh: "附件过大"},
		{name: "ErrServedLongerThanDeclared", file: slacktest.UploadedFile{Name: "XYZZY.pdf", Content: doc, Size: 5}, field: "files", zh: "大小与上传时不符", fetches: 1},
		{name: "ErrServedShorterThanDeclared", file: slacktest.UploadedFile{Name: "XYZZY.pdf", Content: doc, Size: 5000}, field: "files", zh: "大小与上传时不符", fetches: 1},
		{name: "Err404", file: slacktest.UploadedFile{Name: "XYZZY.pdf", Content: doc}, fault: &slacktest.Fault{Status: 404}, field: "files", zh: "附件下载失败，请重新上传", fetches: 1},
		{name: "Err500", file: slacktest.UploadedFile{Name: "XYZZY.pdf", Content: doc}, fault: &slacktest.Fault{Status: 500}, field: "files", zh: "附件下载失败，请重新上传", fetches: 1},
		{name: "ErrExternalFile", file: slacktest.UploadedFile{Name: "XYZZY.pdf", Content: doc, URL: "https://files.example.com/x.pdf"}, field: "files", zh: "附件下载失败"},
		{name: "ErrOtherFieldsWrongNothingFetched", file: slacktest.UploadedFile{Name: "XYZZY.pdf", Content: doc}, field: "reasons", zh: "理由",
			mutate: func(v slacktest.Values) { delete(v, "reasons") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, fstore := newFilesHarness(t, nil)
			view := h.openIntake(t, "UWU")
			if tc.fault != nil {
				h.slack.Fail(slacktest.MethodFileDownload, *tc.fault)
			}
			errs, body := h.submitWithFiles(t, view, tc.mutate, h.slack.Upload(tc.file))
			if !strings.Contains(errs[tc.field], tc.zh) {
				t.Errorf("errors = %v; want %q on %s", errs, tc.zh, tc.field)
			}
			if strings.Contains(string(body), "XYZZY") {
				t.Errorf("the refusal echoes the file name: %s", body)
			}
			if n := h.matters(t); n != 0 {
				t.Errorf("%d matters stored", n)
			}
			if got := held(t, fstore); len(got) != 0 {
				t.Errorf("file store holds %v after a refusal", got)
			}
			if n := len(h.slack.Calls(slacktest.MethodFileDownload)); n != tc.fetches {
				t.Errorf("%d downloads; want %d", n, tc.fetches)
			}
		})
	}
}

// TestFiles_NonSlackURLNeverGetsTheToken: a file object whose url_private points off
// Slack (a remote file, or a forged payload) is not fetched with the bot token.
func TestFiles_NonSlackURLNeverGetsTheToken(t *testing.T) {
	var got []string
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.Header.Get("Authorization"))
		w.Write([]byte("%PDF"))
	}))
	defer evil.Close()
	h, fstore := newFilesHarness(t, nil)
	view := h.openIntake(t, "UWU")
	f := h.slack.Upload(slacktest.UploadedFile{Name: "请示.pdf", Content: []byte("%PDF"), URL: evil.URL + "/x.pdf"})
	f["is_external"] = false // forged: it says it is Slack's own
	errs, _ := h.submitWithFiles(t, view, nil, f)
	if !strings.Contains(errs["files"], "附件下载失败") {
		t.Errorf("errors = %v; want the download refused", errs)
	}
	for _, a := range got {
		if strings.Contains(a, slacktest.BotToken) {
			t.Errorf("the bot token went to a non-Slack host: %q", a)
		}
	}
	if h.matters(t) != 0 || len(held(t, fstore)) != 0 {
		t.Errorf("something was kept: %d matters, files %v", h.matters(t), held(t, fstore))
	}
}

func TestFiles_Off(t *testing.T) {
	h, fstore := newFilesHarness(t, func(r *briefbot.Rules) { r.Intake.FileTypes = nil })
	view := h.openIntake(t, "UWU")
	if strings.Contains(string(view.Blocks), "file_input") {
		t.Fatalf("files are off, yet the form asks for them: %s", view.Blocks)
	}
	// A file shared in the DM intake is refused and not fetched.
	h.postEvent(t, slacktest.MessageEvent("UWU", "DUWU", "new"))
	h.slack.WaitFor(t, "chat.postMessage", 1, 5*time.Second)
	h.postEvent(t, slacktest.FileShareEvent("UWU", "DUWU", "", h.slack.Upload(slacktest.UploadedFile{Name: "请示.pdf", Content: []byte("%PDF")})))
	h.slack.WaitFor(t, "chat.postMessage", 2, 5*time.Second)
	if last := h.slack.Posts()[1]; !strings.Contains(last.Text, "未开启附件") {
		t.Errorf("reply = %q; want files are off", last.Text)
	}
	if len(h.slack.Calls(slacktest.MethodFileDownload)) != 0 || len(held(t, fstore)) != 0 {
		t.Errorf("a file was fetched or kept with files off")
	}
}

// postEvent delivers an Events API message event over HTTP.
func (h *harness) postEvent(t *testing.T, inner map[string]any) {
	t.Helper()
	resp, body := h.slack.PostEvent(t, h.url, secret, slacktest.EventPayload(fmt.Sprintf("EvF%06d", evSeq.Add(1)), inner), 0)
	if resp.StatusCode != 200 {
		t.Fatalf("event: HTTP %d %s", resp.StatusCode, body)
	}
}

var evSeq atomic.Int64

// dmSay sends text in the DM and waits for the bot's answer, returning it.
func (h *harness) dmSay(t *testing.T, text string, files ...map[string]any) string {
	t.Helper()
	before := len(h.slack.Posts())
	if len(files) > 0 {
		h.postEvent(t, slacktest.FileShareEvent("UWU", "DUWU", text, files...))
	} else {
		h.postEvent(t, slacktest.MessageEvent("UWU", "DUWU", text))
	}
	h.slack.WaitFor(t, "chat.postMessage", before+1, 10*time.Second)
	posts := h.slack.Posts()
	return posts[len(posts)-1].Text + string(posts[len(posts)-1].Blocks)
}

func TestFiles_DMIntakeWithASharedFile(t *testing.T) {
	h, fstore := newFilesHarness(t, nil)
	doc := []byte("%PDF-1.7 专题报告")
	answers := []string{"new report", "关于审判执行工作的专题报告", "2", "今年以来审判执行工作平稳。", "1", "1", "无", "无", "无", "无"}
	var out string
	for _, a := range answers {
		out = h.dmSay(t, a)
	}
	if !strings.Contains(out, "附件文件") {
		t.Fatalf("after the links, the DM asks: %s; want the files question", out)
	}
	out = h.dmSay(t, "", h.slack.Upload(slacktest.UploadedFile{User: "UWU", Name: "专题报告.pdf", Content: doc}))
	if !strings.Contains(out, "已收到附件") || !strings.Contains(out, "专题报告.pdf") {
		t.Fatalf("after a file: %s", out)
	}
	if got := held(t, fstore); len(got) != 1 || !strings.HasPrefix(got[0], "tmp") {
		t.Fatalf("before the submission the file is staged only: %v", got)
	}
	for _, a := range []string{"无", "无", "是"} {
		out = h.dmSay(t, a)
	}
	if !strings.Contains(out, "专题报告.pdf") {
		t.Fatalf("the summary does not list the file: %s", out)
	}
	h.postEvent(t, slacktest.MessageEvent("UWU", "DUWU", "提交")) // the receipt comes from the outbox
	var m *briefbot.Matter
	var err error
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m, err = h.store.Lookup(context.Background(), "BG-2026-0001"); err == nil {
			break
		}
	}
	if err != nil {
		t.Fatalf("not stored: %v (last: %s)", err, h.slack.Posts()[len(h.slack.Posts())-1].Text)
	}
	if len(m.Files) != 1 || m.Files[0].SHA256 != hexSum(doc) || !fstore.Has(hexSum(doc)) {
		t.Fatalf("files = %+v; in store: %v", m.Files, held(t, fstore))
	}
	if got := held(t, fstore); len(got) != 1 || strings.HasPrefix(got[0], "tmp") {
		t.Errorf("after the submission the store holds %v; want the committed file only", got)
	}
}

func TestFiles_DMCancelKeepsNothing(t *testing.T) {
	h, fstore := newFilesHarness(t, nil)
	h.dmSay(t, "new report")
	out := h.dmSay(t, "", h.slack.Upload(slacktest.UploadedFile{User: "UWU", Name: "报告.ofd", Content: []byte("OFD 报告")}))
	if !strings.Contains(out, "已收到附件") {
		t.Fatalf("after a file: %s", out)
	}
	// A marked name is refused without echo, and not fetched.
	out = h.dmSay(t, "", h.slack.Upload(slacktest.UploadedFile{User: "UWU", Name: "绝密XYZZY.pdf", Content: []byte("x")}))
	if strings.Contains(out, "XYZZY") || !strings.Contains(out, "密级") {
		t.Fatalf("marked name: %s", out)
	}
	if n := len(h.slack.Calls(slacktest.MethodFileDownload)); n != 1 {
		t.Errorf("%d downloads; want only the first file's", n)
	}
	h.dmSay(t, "取消")
	if got := held(t, fstore); len(got) != 0 {
		t.Errorf("after cancelling the store holds %v", got)
	}
	// A file with no conversation in progress is not fetched.
	out = h.dmSay(t, "", h.slack.Upload(slacktest.UploadedFile{User: "UWU", Name: "报告.pdf", Content: []byte("%PDF")}))
	if !strings.Contains(out, "没有进行中的报送") || len(h.slack.Calls(slacktest.MethodFileDownload)) != 1 {
		t.Errorf("a file outside a conversation: %s", out)
	}
	if h.matters(t) != 0 || len(held(t, fstore)) != 0 {
		t.Errorf("kept: %d matters, %v", h.matters(t), held(t, fstore))
	}
}

func TestFiles_DMTooManyFiles(t *testing.T) {
	h, fstore := newFilesHarness(t, func(r *briefbot.Rules) { r.Intake.MaxFiles = 1 })
	h.dmSay(t, "new report")
	a := h.slack.Upload(slacktest.UploadedFile{User: "UWU", Name: "一.pdf", Content: []byte("%PDF 1")})
	b := h.slack.Upload(slacktest.UploadedFile{User: "UWU", Name: "二.pdf", Content: []byte("%PDF 2")})
	if out := h.dmSay(t, "", a, b); !strings.Contains(out, "最多 1 个") {
		t.Errorf("two files where one is allowed: %s", out)
	}
	if n := len(h.slack.Calls(slacktest.MethodFileDownload)); n != 0 || len(held(t, fstore)) != 0 {
		t.Errorf("%d downloads, store %v; want none", n, held(t, fstore))
	}
}
