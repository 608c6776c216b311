package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/files"
	"github.com/briefbot/briefbot/store"
)

// seedFiles writes to a new ledger a report with two attached files (kept in files/
// beside it) and a restricted one with a third, and returns the ledger's path and the
// files' hashes.
func seedFiles(t *testing.T) (string, []string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "data", "briefbot.db")
	s, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fs, err := files.Open(filepath.Join(filepath.Dir(path), "files"))
	if err != nil {
		t.Fatal(err)
	}
	var sums []string
	put := func(name, content string) briefbot.File {
		sum, n, err := fs.Put(strings.NewReader(content), 0)
		if err != nil {
			t.Fatal(err)
		}
		sums = append(sums, sum)
		return briefbot.File{Name: name, Size: n, SHA256: sum, Type: briefbot.FileType(name)}
	}
	for _, m := range []*briefbot.Matter{
		{Kind: briefbot.KindReport, ReportType: briefbot.ReportSituation, Title: "关于一季度工作情况的报告", Body: "正文",
			Department: "civil", Submitter: "zheng", Signatory: "zheng", Addressee: "pl", Unclassified: true,
			Files: []briefbot.File{put("一季度报告.pdf", "%PDF 一季度"), put("附表/明细:1.ofd", "OFD 明细")}},
		{Kind: briefbot.KindReport, ReportType: briefbot.ReportSituation, Title: "关于某敏感事项的报告", Body: "正文",
			Department: "civil", Submitter: "zheng", Signatory: "zheng", Addressee: "pl", Unclassified: true, Restricted: []briefbot.MemberID{"zheng"},
			Files: []briefbot.File{put("XYZZY敏感.pdf", "%PDF 敏感")}},
	} {
		if _, err := s.Submit(context.Background(), m, nil, briefbot.Delivery{}); err != nil {
			t.Fatal(err)
		}
	}
	return path, sums
}

func TestCLI_CheckVerifiesEveryFile(t *testing.T) {
	data, sums := seedFiles(t)
	if out, _, err := runCLI(t, data, "check"); err != nil || !strings.Contains(out, "OK") {
		t.Fatalf("check = %q, %v", out, err)
	}
	dir := filepath.Join(filepath.Dir(data), "files")
	at := func(sum string) string { return filepath.Join(dir, sum[:2], sum) }
	os.WriteFile(at(sums[0]), []byte("%PDF 二季度"), 0o640) // edited, same length
	os.Remove(at(sums[2]))                               // the restricted matter's: missing
	os.WriteFile(filepath.Join(dir, "stray"), []byte("x"), 0o640)
	out, _, err := runCLI(t, data, "check")
	if err == nil || exitCode(err) != 3 {
		t.Fatalf("check of damaged files = %v; want problems found", err)
	}
	for _, want := range []string{
		"PROBLEM: file " + sums[0] + " edited", "BG-2026-0001（一季度报告.pdf）",
		"PROBLEM: file " + sums[2] + " missing", "BG-2026-0002（限定范围 / restricted）",
		"NOTE: not named by any matter: stray",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("check output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "XYZZY") || strings.Contains(out, sums[1]) {
		t.Errorf("check names a restricted matter's file, or a sound file:\n%s", out)
	}
}

func TestCLI_ArchiveHoldsTheFiles(t *testing.T) {
	data, sums := seedFiles(t)
	dir := t.TempDir()
	if out, _, err := runCLI(t, data, "export", "archive", "--from", "2000-01-01", "--to", "2100-01-01", dir); err != nil || !strings.Contains(out, "2 matters") {
		t.Fatalf("archive = %q %v", out, err)
	}
	for name, want := range map[string]string{
		"BG-2026-0001/files/1-一季度报告.pdf":   "%PDF 一季度",
		"BG-2026-0001/files/2-附表_明细_1.ofd": "OFD 明细",
	} {
		if b, err := os.ReadFile(filepath.Join(dir, name)); err != nil || string(b) != want {
			t.Errorf("%s = %q, %v; want %q", name, b, err, want)
		}
	}
	list, _ := os.ReadFile(filepath.Join(dir, "BG-2026-0001", "files.json"))
	if !strings.Contains(string(list), sums[0]) || !strings.Contains(string(list), `"path": "files/1-一季度报告.pdf"`) {
		t.Errorf("files.json = %s", list)
	}
	// The restricted matter's file stays out without --include-restricted.
	if list, _ := os.ReadFile(filepath.Join(dir, "BG-2026-0002", "files.json")); strings.TrimSpace(string(list)) != "[]" {
		t.Errorf("restricted matter's files.json = %s; want []", list)
	}
	if _, err := os.Stat(filepath.Join(dir, "BG-2026-0002", "files")); err == nil {
		t.Errorf("the restricted matter's files were archived")
	}
}

func TestCLI_ArchiveRefusesADamagedFile(t *testing.T) {
	data, sums := seedFiles(t)
	at := filepath.Join(filepath.Dir(data), "files", sums[1][:2], sums[1])
	if err := os.WriteFile(at, []byte("OFD 明细被改"), 0o640); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	_, _, err := runCLI(t, data, "export", "archive", "--from", "2000-01-01", "--to", "2100-01-01", dir)
	if err == nil || !strings.Contains(err.Error(), "edited") || !strings.Contains(err.Error(), "BG-2026-0001") {
		t.Fatalf("archive with a damaged file = %v; want it stopped, naming the matter", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "BG-2026-0001", "files", "2-附表_明细_1.ofd")); err == nil {
		t.Errorf("the damaged file was left in the archive")
	}
}
