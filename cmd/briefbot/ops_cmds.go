package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/briefings"
	"github.com/briefbot/briefbot/files"
	"github.com/briefbot/briefbot/notices"
	"github.com/briefbot/briefbot/store"
)

// restore is `briefbot restore BACKUP`: the checked backup replaces the data file,
// which must not be in use.
func (e *environment) restore(ctx context.Context, args []string) error {
	var data string
	fs := e.flags("restore", &data)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: briefbot restore BACKUP", errUsage)
	}
	if e.engine == "etcd" { // a backup file onto the cluster, under an empty prefix
		src, err := store.Open(fs.Arg(0), store.Options{ReadOnly: true})
		if err != nil {
			return err
		}
		defer src.Close()
		dst, err := e.openStore(data, store.Options{})
		if err != nil {
			return err
		}
		defer dst.Close()
		got, err := store.Copy(ctx, dst, src)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "OK: %s 已恢复到 %s（%d 件事项，审计链头 %s，已核对）/ restored onto %s (%d matters, audit head %s, checked)\n",
			fs.Arg(0), dst.Path(), got.Matters, got.Head, dst.Path(), got.Matters, got.Head)
		return nil
	}
	if err := store.Restore(fs.Arg(0), data); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "OK: %s 已恢复为 %s / restored from %s (the file it replaced is %s.before-restore)\n", data, fs.Arg(0), fs.Arg(0), data)
	return nil
}

// compact is `briefbot compact`: rewrite the data file without free pages.
func (e *environment) compact(ctx context.Context, args []string) error {
	var data string
	fs := e.flags("compact", &data)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if e.engine == "etcd" {
		return briefbot.Errorf(briefbot.EINVALID, briefbot.ReasonConfig, briefbot.Text{
			ZH: "etcd 自行压缩历史（--auto-compaction-retention），碎片用 etcdctl defrag 整理；compact 只用于 bbolt 数据文件。",
			EN: "etcd compacts its own history (--auto-compaction-retention) and is defragmented with etcdctl defrag; compact is for a bbolt file."})
	}
	before, after, err := store.Compact(data)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "OK: %s %d → %d bytes (checked)\n", data, before, after)
	return nil
}

// export is `briefbot export json|csv [FILE]` and `briefbot export briefings DIR`.
// Restricted matters are redacted (number, department and "限定范围" only) unless
// --include-restricted: an export is read by people outside their circulation.
func (e *environment) export(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: briefbot export json|csv [FILE] | briefbot export briefings [--committee C] [--from DATE] [--to DATE] [--format md|html] DIR | briefbot export archive [--from DATE] [--to DATE] DIR", errUsage)
	}
	what := args[0]
	var data, committee, from, to, format string
	r := &redaction{}
	fs := e.flags("export "+what, &data)
	fs.BoolVar(&r.include, "include-restricted", false, "export restricted matters' content and audit entries too (recorded in the audit log)")
	fs.StringVar(&committee, "committee", "", "briefings: only this committee's")
	fs.StringVar(&from, "from", "", "briefings: compiled on or after this date (2026-01-01)")
	fs.StringVar(&to, "to", "", "briefings: compiled on or before this date")
	fs.StringVar(&format, "format", "md", "briefings: md or html")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	s, err := e.openStore(data, r.options())
	if err != nil {
		return err
	}
	defer s.Close()
	if r.include && what != "briefings" {
		// Recorded before anything is written: no record, no access.
		start, end, err := period(from, to)
		if err != nil {
			return err
		}
		var read []*briefbot.Matter
		err = s.Each(ctx, briefbot.Filter{}, func(m *briefbot.Matter) bool {
			if len(m.Restricted) > 0 && (what != "archive" || (!m.SubmittedAt.Before(start) && m.SubmittedAt.Before(end))) {
				read = append(read, m)
			}
			return true
		})
		if err == nil {
			err = r.record(ctx, s, e.actor(), "export "+what+" --include-restricted", read)
		}
		if err != nil {
			return err
		}
	}
	out := e.stdout
	if (what == "json" || what == "csv") && fs.NArg() == 1 {
		f, err := os.Create(fs.Arg(0))
		if err != nil {
			return err
		}
		defer f.Close()
		out = f
	}
	switch what {
	case "json":
		return exportJSON(out, s, r)
	case "csv":
		return exportCSV(out, s, r.matter)
	case "briefings":
		if fs.NArg() != 1 {
			return fmt.Errorf("%w: briefbot export briefings DIR", errUsage)
		}
		return e.exportBriefings(s, fs.Arg(0), committee, from, to, format)
	case "archive":
		if fs.NArg() != 1 {
			return fmt.Errorf("%w: briefbot export archive [--from D] [--to D] DIR", errUsage)
		}
		start, end, err := period(from, to)
		if err != nil {
			return err
		}
		n, err := exportArchive(s, files.At(e.filesDir(data)), fs.Arg(0), start, end, r)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "OK: %d 件事项已归档到 %s / %d matters archived in %s\n", n, fs.Arg(0), n, fs.Arg(0))
		return nil
	}
	return fmt.Errorf("%w: export json, csv or briefings", errUsage)
}

func exportJSON(w io.Writer, s *store.Store, r *redaction) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	var matters []*briefbot.Matter
	if err := s.Each(context.Background(), briefbot.Filter{}, func(m *briefbot.Matter) bool { matters = append(matters, r.matter(m)); return true }); err != nil {
		return err
	}
	audit := []briefbot.AuditEntry{}
	if err := s.Audit(context.Background(), func(a briefbot.AuditEntry) bool {
		if r.entry(a) {
			audit = append(audit, a)
		}
		return true
	}); err != nil {
		return err
	}
	return enc.Encode(map[string]any{"schema": store.SchemaVersion, "matters": matters, "audit": audit})
}

func exportCSV(w io.Writer, s *store.Store, redact func(*briefbot.Matter) *briefbot.Matter) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"number", "doc_number", "kind", "report_type", "title", "department", "submitter", "addressee", "copied", "urgency", "category", "status", "submitted_at", "answer_by", "deadline", "instructions", "updated_at"})
	date := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(briefbot.DefaultLocation()).Format("2006-01-02 15:04")
	}
	var rows [][]string
	err := s.Each(context.Background(), briefbot.Filter{}, func(m *briefbot.Matter) bool {
		m = redact(m)
		deadline := ""
		if m.Assignment != nil {
			deadline = date(m.Assignment.Deadline)
		}
		copied, _ := json.Marshal(m.Copied)
		rows = append(rows, []string{m.Number.String(), m.Number.Doc(), string(m.Kind), string(m.ReportType), m.Title, string(m.Department), string(m.Submitter),
			string(m.Addressee), string(copied), string(m.Urgency), m.Category, string(m.Status), date(m.SubmittedAt), date(m.AnswerBy), deadline,
			fmt.Sprint(len(m.Instructions)), date(m.UpdatedAt)})
		return true
	})
	if err != nil {
		return err
	}
	for i := len(rows) - 1; i >= 0; i-- { // oldest first, as a ledger reads
		cw.Write(rows[i])
	}
	cw.Flush()
	return cw.Error()
}

// exportBriefings writes each stored briefing of the period again, as sent, in Markdown
// or printable HTML, one file per issue.
func (e *environment) exportBriefings(s *store.Store, dir, committee, from, to, format string) error {
	start, end, err := period(from, to)
	if err != nil {
		return err
	}
	if format != "md" && format != "html" {
		return fmt.Errorf("%w: --format md or html", errUsage)
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	n := 0
	var werr error
	err = s.EachDispatch(context.Background(), func(d *briefbot.Dispatch) bool {
		if d.Kind != briefbot.DispatchBriefing || len(d.Document) == 0 || (committee != "" && string(d.Committee) != committee) ||
			d.CreatedAt.Before(start) || !d.CreatedAt.Before(end) {
			return true
		}
		var br *briefings.Briefing
		if br, werr = briefings.ReadDocument(d.Document); werr != nil {
			return false
		}
		body := br.Markdown()
		if format == "html" {
			body = br.HTML()
		}
		name := filepath.Join(dir, fmt.Sprintf("%s-%d-%03d.%s", d.Committee, d.Year, d.Issue, format))
		if werr = os.WriteFile(name, []byte(body), 0o640); werr != nil {
			return false
		}
		n++
		return true
	})
	if err == nil {
		err = werr
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "OK: %d 期简报已导出到 %s / %d briefings written to %s\n", n, dir, n, dir)
	return nil
}

// period reads --from and --to (dates, inclusive) as [start, end).
func period(from, to string) (time.Time, time.Time, error) {
	loc := briefbot.DefaultLocation()
	parse := func(v string, end bool) (time.Time, error) {
		if v == "" {
			if end {
				return time.Date(9999, 1, 1, 0, 0, 0, 0, loc), nil
			}
			return time.Time{}, nil
		}
		t, err := time.ParseInLocation("2006-01-02", v, loc)
		if end {
			t = t.AddDate(0, 0, 1)
		}
		return t, err
	}
	start, err := parse(from, false)
	if err != nil {
		return start, start, fmt.Errorf("%w: --from %q", errUsage, from)
	}
	end, err := parse(to, true)
	if err != nil {
		return start, end, fmt.Errorf("%w: --to %q", errUsage, to)
	}
	return start, end, nil
}

// exportArchive writes the archive (归档) of the matters submitted in [start, end): one
// folder per matter with its full record, its instructions, its feedback and its
// audit entries, its attached files (files.json, files/), and an index. The same
// store gives the same bytes: no export time is written, files are in ledger order,
// JSON is indented deterministically. A file that fails its hash check stops it.
func exportArchive(s *store.Store, fstore *files.Store, dir string, start, end time.Time, r *redaction) (int, error) {
	var matters []*briefbot.Matter
	err := s.Each(context.Background(), briefbot.Filter{}, func(m *briefbot.Matter) bool {
		if !m.Number.IsZero() && !m.SubmittedAt.Before(start) && m.SubmittedAt.Before(end) {
			matters = append(matters, r.matter(m))
		}
		return true
	})
	if err != nil {
		return 0, err
	}
	slices.SortFunc(matters, func(a, b *briefbot.Matter) int { return strings.Compare(a.Number.String(), b.Number.String()) })
	audit := map[uint64][]briefbot.AuditEntry{}
	if err := s.Audit(context.Background(), func(a briefbot.AuditEntry) bool {
		if a.MatterID != 0 && r.entry(a) {
			audit[a.MatterID] = append(audit[a.MatterID], a)
		}
		return true
	}); err != nil {
		return 0, err
	}
	write := func(path string, v any) error {
		b, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			return err
		}
		return os.WriteFile(path, append(b, '\n'), 0o640)
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return 0, err
	}
	var index strings.Builder
	iw := csv.NewWriter(&index)
	iw.Write([]string{"number", "doc_number", "kind", "title", "department", "addressee", "status", "submitted_at", "folder"})
	for _, m := range matters {
		folder := m.Number.String()
		fd := filepath.Join(dir, folder)
		if err := os.MkdirAll(fd, 0o750); err != nil {
			return 0, err
		}
		entries := audit[m.ID]
		for name, v := range map[string]any{
			"record.json": m, "instructions.json": nonNil(m.Instructions), "feedback.json": nonNil(m.Feedback),
			"history.json": m.History, "audit.json": nonNil(entries),
		} {
			if err := write(filepath.Join(fd, name), v); err != nil {
				return 0, err
			}
		}
		if err := archiveFiles(fstore, fd, m); err != nil {
			return 0, err
		}
		iw.Write([]string{m.Number.String(), m.Number.Doc(), string(m.Kind), m.Title, string(m.Department), string(m.Addressee), string(m.Status),
			m.SubmittedAt.In(briefbot.DefaultLocation()).Format("2006-01-02 15:04"), folder})
	}
	iw.Flush()
	if err := os.WriteFile(filepath.Join(dir, "index.csv"), []byte(index.String()), 0o640); err != nil {
		return 0, err
	}
	return len(matters), nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// stats is `briefbot stats [--period 2026-11|2026] [--committee C] [--format text|md|html] [FILE]`:
// the roll-up (月报/年报) with its charts. Restricted matters are counted, never described.
func (e *environment) stats(ctx context.Context, args []string) error {
	var data, cfgPath, period, committee, format string
	fs := e.flags("stats", &data)
	fs.StringVar(&cfgPath, "config", e.getenv("BRIEFBOT_CONFIG"), "the org config (env BRIEFBOT_CONFIG)")
	fs.StringVar(&period, "period", "", "2026-11 (a month), 2026 (a year); default this month")
	fs.StringVar(&committee, "committee", "", "only this committee's matters")
	fs.StringVar(&format, "format", "text", "text, md or html")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := e.loadConfig(cfgPath)
	if err != nil {
		return err
	}
	from, to, _, ok := notices.ParsePeriod(period, time.Now(), cfg.Rules.Loc())
	if !ok {
		return fmt.Errorf("%w: --period 2026-11 or 2026", errUsage)
	}
	s, err := e.openStore(data, store.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer s.Close()
	producer := &notices.Producer{Ledger: s, Rules: func() *briefbot.Rules { return &cfg.Rules }, Scoring: func() briefings.Scoring { return cfg.Scoring }}
	st, err := producer.Stats(ctx, briefbot.CommitteeID(committee), from, to, "")
	if err != nil {
		return err
	}
	var body string
	switch format {
	case "text":
		body = st.Mrkdwn()
	case "md":
		body = st.Markdown()
	case "html":
		body = st.HTML()
	default:
		return fmt.Errorf("%w: --format text, md or html", errUsage)
	}
	if fs.NArg() == 1 {
		return os.WriteFile(fs.Arg(0), []byte(body), 0o640)
	}
	_, err = io.WriteString(e.stdout, body+"\n")
	return err
}
