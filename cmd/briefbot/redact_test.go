package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/store"
)

// TestCLI_RestrictedRedactedOnEveryOutput: a restricted matter's content and the audit
// entries about it appear in no CLI output — list, show, export json, csv and archive,
// audit export — unless --include-restricted is given; and each read with the flag is
// recorded in the audit log (who, which command) before anything is printed.
func TestCLI_RestrictedRedactedOnEveryOutput(t *testing.T) {
	data := seed(t)
	s, err := store.Open(data, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	secret := &briefbot.Matter{Kind: briefbot.KindReport, ReportType: briefbot.ReportSituation, Title: "限定范围的报告SECRET1", Body: "正文SECRET2",
		Department: "criminal", Submitter: "wu", Signatory: "zhou", Addressee: "party", Unclassified: true, Restricted: []briefbot.MemberID{"zhao"}}
	res, err := s.Submit(context.Background(), secret, nil, briefbot.Delivery{})
	if err != nil {
		t.Fatal(err)
	}
	id, number := res.Matter.ID, res.Matter.Number.String()
	if err := s.AppendAudit(context.Background(), briefbot.AuditEntry{Actor: "zhao", Action: briefbot.AuditViewRestricted, MatterID: id, Number: number}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	aboutIt := fmt.Sprintf(`"matter_id":%d,`, id)
	archive := t.TempDir()
	csvFile := filepath.Join(t.TempDir(), "x.csv")
	outputs := map[string]func() string{
		"list": func() string { out, _, _ := runCLI(t, data, "list"); return out },
		"show": func() string { out, _, _ := runCLI(t, data, "show", number); return out },
		"export json": func() string {
			out, _, _ := runCLI(t, data, "export", "json")
			return compact(out)
		},
		"export csv": func() string {
			runCLI(t, data, "export", "csv", csvFile)
			b, _ := os.ReadFile(csvFile)
			return string(b)
		},
		"export archive": func() string {
			runCLI(t, data, "export", "archive", "--from", "2000-01-01", "--to", "2100-01-01", archive)
			var all strings.Builder
			filepath.Walk(archive, func(p string, info os.FileInfo, err error) error {
				if err == nil && !info.IsDir() {
					b, _ := os.ReadFile(p)
					all.WriteString(compact(string(b)))
				}
				return nil
			})
			return all.String()
		},
		"audit export": func() string { out, _, _ := runCLI(t, data, "audit", "export"); return out },
	}
	for name, output := range outputs {
		out := output()
		if strings.Contains(out, "SECRET") || strings.Contains(out, aboutIt) || strings.Contains(out, `"actor":"zhao"`) {
			t.Fatalf("%s shows the restricted matter or who read it:\n%s", name, out)
		}
		if name != "audit export" && !strings.Contains(out, number) {
			t.Fatalf("%s does not list the restricted matter's number at all:\n%s", name, out)
		}
	}
	entries := func() []briefbot.AuditEntry {
		s, err := store.Open(data, store.Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		var es []briefbot.AuditEntry
		s.Audit(context.Background(), func(e briefbot.AuditEntry) bool { es = append(es, e); return true })
		return es
	}
	before := len(entries())
	// With the flag: shown, and recorded first.
	for _, args := range [][]string{{"show", number}, {"list"}, {"export", "json"}, {"audit", "export"}} {
		out, _, err := runCLI(t, data, append(args, "--include-restricted")...)
		if err != nil || !strings.Contains(out, "SECRET1") && args[0] != "audit" {
			t.Fatalf("%v --include-restricted = %v\n%s", args, err, out)
		}
		es := entries()
		last := es[len(es)-1]
		if len(es) != before+1 || last.Action != briefbot.AuditViewRestricted || last.MatterID != id ||
			!strings.HasPrefix(string(last.Actor), "cli:") || !strings.Contains(last.Detail, args[0]) {
			t.Fatalf("%v --include-restricted was not recorded: %d entries (was %d), last %+v", args, len(es), before, last)
		}
		before = len(es)
	}
}

// compact re-encodes JSON without spaces (and leaves anything else as it is).
func compact(s string) string {
	var v any
	dec := json.NewDecoder(strings.NewReader(s))
	var b strings.Builder
	for dec.Decode(&v) == nil {
		out, _ := json.Marshal(v)
		b.Write(out)
	}
	if b.Len() == 0 {
		return s
	}
	return b.String()
}
