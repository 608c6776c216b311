package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/briefings"
	"github.com/briefbot/briefbot/config"
	"github.com/briefbot/briefbot/store"
)

// runCLI runs the program with args and BRIEFBOT_DATA=data, returning its output.
func runCLI(t *testing.T, data string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	getenv := func(k string) string {
		if k == "BRIEFBOT_DATA" {
			return data
		}
		return ""
	}
	err := run(context.Background(), args, getenv, strings.NewReader(""), &out, &errOut)
	return out.String(), errOut.String(), err
}

// seed writes two matters to a new ledger file and returns its path.
func seed(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "data", "briefbot.db")
	s, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, m := range []*briefbot.Matter{
		{Kind: briefbot.KindRequest, Title: "关于某案件审理有关问题的请示", RequestedItem: "公开审理", Reasons: "关注度高", Recommendation: "建议公开",
			Department: "criminal", Submitter: "wu", Signatory: "zhou", Addressee: "party", Unclassified: true, AnswerBy: time.Now().Add(-time.Hour)},
		{Kind: briefbot.KindReport, ReportType: briefbot.ReportSituation, Title: "关于一季度工作情况的报告", Body: "正文",
			Department: "civil", Submitter: "zheng", Signatory: "zheng", Addressee: "pl", Unclassified: true},
	} {
		if _, err := s.Submit(context.Background(), m, nil, briefbot.Delivery{}); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

func TestCLI_ListShowCheckBackup(t *testing.T) {
	data := seed(t)
	out, _, err := runCLI(t, data, "list")
	if err != nil || !strings.Contains(out, "QS-2026-0001") || !strings.Contains(out, "BG-2026-0001") {
		t.Fatalf("list = %q, %v", out, err)
	}
	if out, _, _ := runCLI(t, data, "list", "--overdue"); !strings.Contains(out, "QS-2026-0001") || strings.Contains(out, "BG-") {
		t.Fatalf("list --overdue = %q", out)
	}
	if out, _, _ := runCLI(t, data, "list", "--find", "一季度"); !strings.Contains(out, "BG-2026-0001") || strings.Contains(out, "QS-") {
		t.Fatalf("list --find = %q", out)
	}
	if out, _, _ := runCLI(t, data, "list", "--kind", "filing"); !strings.Contains(out, "No matters") {
		t.Fatalf("list --kind filing = %q", out)
	}
	if out, _, err := runCLI(t, filepath.Join(t.TempDir(), "new.db"), "list"); err != nil || !strings.Contains(out, "ledger is empty") {
		t.Fatalf("list on a fresh machine = %q, %v", out, err)
	}
	out, _, err = runCLI(t, data, "show", "qs-2026-1")
	if err != nil || !strings.Contains(out, "请示〔2026〕1号") || !strings.Contains(out, "建议公开") || !strings.Contains(out, "报送") {
		t.Fatalf("show = %q, %v", out, err)
	}
	if out, _, err := runCLI(t, data, "check"); err != nil || !strings.Contains(out, "OK") {
		t.Fatalf("check = %q, %v", out, err)
	}
	dst := filepath.Join(t.TempDir(), "copy.db")
	if out, _, err := runCLI(t, data, "backup", dst); err != nil || !strings.Contains(out, "checked") {
		t.Fatalf("backup = %q, %v", out, err)
	}
	if out, _, err := runCLI(t, dst, "show", "BG-2026-0001"); err != nil || !strings.Contains(out, "一季度") {
		t.Fatalf("show from the backup = %q, %v", out, err)
	}
}

func TestCLI_Refusals(t *testing.T) {
	data := seed(t)
	for _, tc := range []struct {
		name string
		args []string
		code briefbot.Code // briefbot error code, or "" for a usage error
	}{
		{"ErrUnknownCommand", []string{"frobnicate"}, ""},
		{"ErrShowNoNumber", []string{"show"}, ""},
		{"ErrShowBadNumber", []string{"show", "hello"}, briefbot.EINVALID},
		{"ErrShowMissing", []string{"show", "QS-2026-0404"}, briefbot.ENOTFOUND},
		{"ErrBadStatus", []string{"list", "--status", "lost"}, ""},
		{"ErrBadKind", []string{"list", "--kind", "memo"}, ""},
		{"ErrBackupNoFile", []string{"backup"}, ""},
		{"ErrNoDataFile", []string{"check", "--data", filepath.Join(t.TempDir(), "none.db")}, briefbot.ENOTFOUND},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := runCLI(t, data, tc.args...)
			if err == nil {
				t.Fatal("succeeded; want an error")
			}
			if tc.code == "" {
				if !errors.Is(err, errUsage) || exitCode(err) != 2 {
					t.Fatalf("err = %v; want a usage error", err)
				}
			} else if got := briefbot.ErrorCode(err); got != tc.code || message(err) == "" {
				t.Fatalf("err = %v (%s); want %s with a message", err, got, tc.code)
			}
		})
	}
}

func TestCLI_LockedFileIsReported(t *testing.T) {
	data := seed(t)
	s, err := store.Open(data, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	// A locked file is reported, not waited on forever.
	s, _ = store.Open(data, store.Options{})
	_, _, err = runCLI(t, data, "check")
	s.Close()
	if briefbot.ErrorReason(err) != "store_locked" || !strings.Contains(message(err), data) {
		t.Fatalf("check of a locked file = %v", err)
	}
}

func TestCLI_AuditVerifyAndExport(t *testing.T) {
	data := seed(t)
	out, _, err := runCLI(t, data, "audit", "verify")
	if err != nil || !strings.Contains(out, "intact: 2 entries") {
		t.Fatalf("verify = %q, %v", out, err)
	}
	out, _, err = runCLI(t, data, "audit", "export")
	if err != nil || strings.Count(out, "\n") != 2 || !strings.Contains(out, `"action":"submit"`) || !strings.Contains(out, `"hash":`) {
		t.Fatalf("export = %q, %v", out, err)
	}
	if _, _, err := runCLI(t, data, "audit", "sideways"); !errors.Is(err, errUsage) {
		t.Fatalf("bad verb = %v", err)
	}
	// The head, as printed, verifies; another anchor does not; a malformed one is
	// refused saying how one looks.
	out, _, _ = runCLI(t, data, "audit", "verify")
	head := strings.TrimSpace(out[strings.LastIndex(out, "head:")+len("head:"):])
	if out, _, err := runCLI(t, data, "audit", "verify", "--head", head); err != nil || !strings.Contains(out, "holds the anchor") {
		t.Fatalf("verify --head %s = %q %v", head, out, err)
	}
	other := "#2:" + strings.Repeat("0", 64)
	if out, _, err := runCLI(t, data, "audit", "verify", "--head", other); !errors.Is(err, errProblems) || !strings.Contains(out, "rewritten") {
		t.Fatalf("verify --head %s = %q %v", other, out, err)
	}
	if _, _, err := runCLI(t, data, "audit", "verify", "--head", "xyz"); briefbot.ErrorReason(err) != briefbot.ReasonBadAnchor {
		t.Fatalf("verify --head xyz = %v", err)
	}
}

func TestCLI_VersionAndHealth(t *testing.T) {
	out, _, err := runCLI(t, "", "--version")
	if err != nil || !strings.HasPrefix(out, "briefbot ") || !strings.Contains(out, "commit") {
		t.Fatalf("--version = %q, %v", out, err)
	}
	var buf bytes.Buffer
	env := func(k string) string {
		if k == "BRIEFBOT_OPS_LISTEN" {
			return "127.0.0.1:1" // nothing listens there
		}
		return ""
	}
	if err := run(context.Background(), []string{"health"}, env, strings.NewReader(""), &buf, &buf); err == nil || !strings.Contains(err.Error(), "not healthy") {
		t.Fatalf("health with no bot = %v", err)
	}
}

func TestCLI_RestoreCompactExport(t *testing.T) {
	data := seed(t)
	// A restricted matter and a stored briefing to export.
	s, err := store.Open(data, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	secret := &briefbot.Matter{Kind: briefbot.KindReport, ReportType: briefbot.ReportSituation, Title: "限定范围的报告SECRET1", Body: "正文SECRET2",
		Department: "criminal", Submitter: "wu", Signatory: "zhou", Addressee: "party", Unclassified: true, Restricted: []briefbot.MemberID{"zhao"}}
	if _, err := s.Submit(context.Background(), secret, nil, briefbot.Delivery{}); err != nil {
		t.Fatal(err)
	}
	org := config.Example().Rules.Org
	var ms []*briefbot.Matter
	s.Each(context.Background(), briefbot.Filter{}, func(m *briefbot.Matter) bool { ms = append(ms, m); return true })
	br := briefings.Compose(ms, briefings.Options{Org: &org, Committee: "party", Year: 2026, Issue: 1, Now: time.Now()})
	doc, _ := json.Marshal(br)
	if _, _, err := s.CreateDispatch(context.Background(), &briefbot.Dispatch{Kind: briefbot.DispatchBriefing, Committee: "party", Year: 2026, Issue: 1,
		Parts: []briefbot.Part{{Text: "x"}}, Document: doc}); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(t.TempDir(), "b.db")
	if _, err := s.Backup(backup); err != nil {
		t.Fatal(err)
	}
	// In use: restore and compact refuse, and change nothing.
	if _, _, err := runCLI(t, data, "restore", backup); briefbot.ErrorReason(err) != "store_locked" {
		t.Fatalf("restore while in use = %v", err)
	}
	if _, _, err := runCLI(t, data, "compact"); briefbot.ErrorReason(err) != "store_locked" {
		t.Fatalf("compact while in use = %v", err)
	}
	s.Close()

	out, _, err := runCLI(t, data, "export", "json")
	if err != nil || !strings.Contains(out, "QS-2026-0001") || strings.Contains(out, "SECRET") || !strings.Contains(out, `"audit"`) {
		t.Fatalf("export json = %v\n%.400s", err, out)
	}
	if out, _, _ := runCLI(t, data, "export", "json", "--include-restricted"); !strings.Contains(out, "SECRET1") {
		t.Fatalf("--include-restricted did not include it")
	}
	out, _, err = runCLI(t, data, "export", "csv")
	if err != nil || strings.Count(out, "\n") != 4 || !strings.HasPrefix(out, "number,doc_number") || strings.Contains(out, "SECRET") {
		t.Fatalf("export csv = %v\n%s", err, out)
	}
	dir := t.TempDir()
	if out, _, err := runCLI(t, data, "export", "briefings", "--format", "html", dir); err != nil || !strings.Contains(out, "1 briefings") {
		t.Fatalf("export briefings = %q %v", out, err)
	}
	page, _ := os.ReadFile(filepath.Join(dir, "party-2026-001.html"))
	if !strings.Contains(string(page), "重大事项简报") || strings.Contains(string(page), "SECRET") {
		t.Fatalf("exported page:\n%.300s", page)
	}
	if out, _, err := runCLI(t, data, "compact"); err != nil || !strings.Contains(out, "checked") {
		t.Fatalf("compact = %q %v", out, err)
	}
	// Restore: the backup comes back, the replaced file is kept, the result is sound.
	if out, _, err := runCLI(t, data, "restore", backup); err != nil || !strings.Contains(out, "restored") {
		t.Fatalf("restore = %q %v", out, err)
	}
	if _, err := os.Stat(data + ".before-restore"); err != nil {
		t.Fatalf("the replaced file was not kept: %v", err)
	}
	if out, _, err := runCLI(t, data, "check"); err != nil || !strings.Contains(out, "OK") {
		t.Fatalf("check after restore = %q %v", out, err)
	}
	bad := filepath.Join(t.TempDir(), "bad.db")
	os.WriteFile(bad, []byte("not a database"), 0o600)
	if _, _, err := runCLI(t, data, "restore", bad); err == nil {
		t.Fatalf("a broken backup was restored")
	}
}

func TestCLI_ArchiveIsReproducible(t *testing.T) {
	data := seed(t)
	s, _ := store.Open(data, store.Options{})
	m, _ := s.Lookup(context.Background(), "QS-2026-0001")
	s.Apply(context.Background(), briefbot.RefID(m.ID), testRules().Take(briefbot.Step{Action: briefbot.ActionInstruct, Actor: "zhao", At: time.Now(), Text: "同意"}), briefbot.Delivery{})
	s.Close()
	a, b := t.TempDir(), t.TempDir()
	for _, dir := range []string{a, b} {
		if out, _, err := runCLI(t, data, "export", "archive", "--from", "2026-01-01", "--to", "2026-12-31", dir); err != nil || !strings.Contains(out, "2 matters") {
			t.Fatalf("archive = %q %v", out, err)
		}
	}
	var files []string
	filepath.WalkDir(a, func(p string, d os.DirEntry, err error) error {
		if !d.IsDir() {
			rel, _ := filepath.Rel(a, p)
			files = append(files, rel)
		}
		return nil
	})
	if len(files) != 13 { // index + 2 × (record, instructions, feedback, history, audit, files)
		t.Fatalf("files = %v", files)
	}
	for _, f := range files {
		x, _ := os.ReadFile(filepath.Join(a, f))
		y, err := os.ReadFile(filepath.Join(b, f))
		if err != nil || !bytes.Equal(x, y) {
			t.Fatalf("%s differs between two exports of the same store", f)
		}
	}
	ins, _ := os.ReadFile(filepath.Join(a, "QS-2026-0001", "instructions.json"))
	idx, _ := os.ReadFile(filepath.Join(a, "index.csv"))
	if !strings.Contains(string(ins), "同意") || !strings.Contains(string(idx), "BG-2026-0001") {
		t.Fatalf("instructions %s\nindex %s", ins, idx)
	}
}

func TestCLI_StatsRollup(t *testing.T) {
	data := seed(t)
	file := filepath.Join(t.TempDir(), "roll.html")
	if _, _, err := runCLI(t, data, "stats", "--period", time.Now().In(briefbot.DefaultLocation()).Format("2006"), "--format", "html", file); err != nil {
		t.Fatal(err)
	}
	page, _ := os.ReadFile(file)
	if !strings.Contains(string(page), "<svg") || !strings.Contains(string(page), "年报") {
		t.Fatalf("roll-up page:\n%.300s", page)
	}
	if _, _, err := runCLI(t, data, "stats", "--period", "soon"); !errors.Is(err, errUsage) {
		t.Fatalf("bad period = %v", err)
	}
}

// testRules are the built-in example organisation's.
func testRules() *briefbot.Rules { return &config.Example().Rules }

// TestCLI_ConfigCheckWarnsOfRecusal: a leader who also belongs to a submitting
// department is pointed out: they stand aside from its matters.
func TestCLI_ConfigCheckWarnsOfRecusal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "org.yaml")
	os.WriteFile(path, []byte(`organisation: 测试法院
members:
  - {id: zhao, name: 赵书记}
  - {id: qian, name: 钱主任}
  - {id: zhou, name: 周庭长}
committees:
  - {id: party, name: 党组, leaders: [zhao, zhou], clerks: [qian]}
departments:
  - {id: criminal, name: 刑事审判庭, principal: zhou}
`), 0o600)
	out, _, err := runCLI(t, "", "config", "check", path)
	if err != nil || !strings.Contains(out, "周庭长") || !strings.Contains(out, "回避") {
		t.Fatalf("config check = %q %v; want the recusal pointed out", out, err)
	}
	out, _, _ = runCLI(t, "", "config", "check", filepath.Join("..", "..", "config", "testdata", "valid.yaml"))
	if strings.Contains(out, "回避") {
		t.Fatalf("a config without such a leader: %q", out)
	}
}

// TestCLI_FlagsAnywhere: flags after the arguments, as the usage text shows them.
func TestCLI_FlagsAnywhere(t *testing.T) {
	data := seed(t)
	backup := filepath.Join(t.TempDir(), "b.db")
	if out, _, err := runCLI(t, "/nonexistent/x.db", "backup", backup, "--data", data); err != nil {
		t.Fatalf("backup FILE --data D = %q %v", out, err)
	}
	other := filepath.Join(t.TempDir(), "other.db")
	if out, _, err := runCLI(t, "/nonexistent/x.db", "restore", backup, "--data", other); err != nil || !strings.Contains(out, "OK") {
		t.Fatalf("restore BACKUP --data D = %q %v", out, err)
	}
	if out, _, err := runCLI(t, "/nonexistent/x.db", "show", "QS-2026-0001", "--data", other); err != nil || !strings.Contains(out, "QS-2026-0001") {
		t.Fatalf("show N --data D = %q %v", out, err)
	}
}

// TestServe_IncompleteSlackSettingsAreRefused: a bot token without a way to reach
// Slack, or an app token or secret without a bot token, is refused naming what is
// missing, instead of quietly running the console.
func TestServe_IncompleteSlackSettingsAreRefused(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"},
		{map[string]string{"SLACK_APP_TOKEN": "xapp-1"}, "SLACK_BOT_TOKEN"},
		{map[string]string{"SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN"},
	} {
		var out, errOut bytes.Buffer
		getenv := func(k string) string {
			if k == "BRIEFBOT_DATA" {
				return filepath.Join(t.TempDir(), "d.db")
			}
			return tc.env[k]
		}
		err := run(context.Background(), []string{"serve"}, getenv, strings.NewReader(""), &out, &errOut)
		if err == nil || !strings.Contains(message(err), tc.want) || exitCode(err) == 0 {
			t.Fatalf("serve with %v = %v; want a refusal naming %s", tc.env, err, tc.want)
		}
	}
}

// TestCLI_ConfigCheckNotesABareOffice: an office written as just 办公室 prints as
// 办公室编, without the organisation's name; config check says to write it in full.
func TestCLI_ConfigCheckNotesABareOffice(t *testing.T) {
	path := filepath.Join(t.TempDir(), "org.yaml")
	os.WriteFile(path, []byte(strings.Replace(string(config.ExampleYAML()), "office: 某市中级人民法院办公室", "office: 办公室", 1)), 0o600)
	out, _, err := runCLI(t, "", "config", "check", path)
	if err != nil || !strings.Contains(out, "党组的 office 只写了“办公室”") || !strings.Contains(out, "某市中级人民法院办公室") {
		t.Fatalf("config check = %q %v; want the bare office pointed out", out, err)
	}
	out, _, _ = runCLI(t, "", "config", "check", filepath.Join("..", "..", "config", "example.yaml"))
	if strings.Contains(out, "只写了") {
		t.Fatalf("the example's offices are in full, yet: %q", out)
	}
}
