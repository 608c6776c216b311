package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/files"
	"github.com/briefbot/briefbot/store"
)

const pageSize = 20

func (e *environment) list(ctx context.Context, args []string) error {
	var data, status, kind, dept, committee, find string
	var awaiting, overdue bool
	var page int
	fs := e.flags("list", &data)
	fs.StringVar(&status, "status", "", "only matters in this state (e.g. submitted, instructed)")
	fs.StringVar(&kind, "kind", "", "request, report or filing")
	fs.StringVar(&dept, "dept", "", "submitting department ID")
	fs.StringVar(&committee, "committee", "", "addressee or copied committee ID")
	fs.BoolVar(&awaiting, "awaiting", false, "only matters awaiting instruction")
	fs.BoolVar(&overdue, "overdue", false, "only matters past their deadline now")
	fs.StringVar(&find, "find", "", "only matters holding every one of these words (titles, bodies, 批示, case numbers, ledger numbers, department ids), newest first")
	fs.IntVar(&page, "page", 1, "page number")
	r := &redaction{}
	fs.BoolVar(&r.include, "include-restricted", false, "show restricted matters' titles too (recorded in the audit log)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	f := briefbot.Filter{Department: briefbot.DepartmentID(dept), Committee: briefbot.CommitteeID(committee), Limit: pageSize, Offset: (max(page, 1) - 1) * pageSize}
	if status != "" {
		st := briefbot.Status(status)
		if !st.Valid() {
			return fmt.Errorf("%w: unknown status %q", errUsage, status)
		}
		f.Statuses = []briefbot.Status{st}
	}
	if kind != "" {
		k := briefbot.Kind(kind)
		if !k.Valid() {
			return fmt.Errorf("%w: unknown kind %q (request, report or filing)", errUsage, kind)
		}
		f.Kinds = []briefbot.Kind{k}
	}
	s, err := e.openStore(data, r.options())
	if briefbot.ErrorReason(err) == "no_store" {
		fmt.Fprintf(e.stdout, "台账为空：还没有数据文件 %s。 / The ledger is empty: no data file %s yet.\n", data, data)
		return nil
	} else if err != nil {
		return err
	}
	defer s.Close()
	var p briefbot.Page
	f.Awaiting = awaiting
	if overdue {
		f.OverdueAt = time.Now()
	}
	if find != "" {
		p, err = s.Search(ctx, find, f)
	} else {
		p, err = s.List(ctx, f)
	}
	if err != nil {
		return err
	}
	if len(p.Matters) == 0 {
		fmt.Fprintln(e.stdout, "没有符合条件的事项。 / No matters found.")
		return nil
	}
	ms := make([]*briefbot.Matter, len(p.Matters))
	for i, sm := range p.Matters {
		ms[i] = sm.Matter()
	}
	if err := r.record(ctx, s, e.actor(), "list --include-restricted", ms); err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "编号\t状态\t紧急\t单位\t标题")
	for _, m := range ms {
		m = r.matter(m)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", m.Number, m.Status.Label(briefbot.LangZH), m.Urgency.Label(briefbot.LangZH), m.Department, m.Title)
	}
	tw.Flush()
	if p.More {
		fmt.Fprintf(e.stdout, "（第%d页，后面还有：--page %d） / (page %d; more with --page %d)\n", page, page+1, page, page+1)
	}
	return nil
}

func (e *environment) show(ctx context.Context, args []string) error {
	var data string
	fs := e.flags("show", &data)
	r := &redaction{}
	fs.BoolVar(&r.include, "include-restricted", false, "show a restricted matter's content (recorded in the audit log)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: briefbot show NUMBER", errUsage)
	}
	s, err := e.openStore(data, r.options())
	if err != nil {
		return err
	}
	defer s.Close()
	m, err := s.Lookup(ctx, fs.Arg(0))
	if err != nil {
		return err
	}
	if err := r.record(ctx, s, e.actor(), "show --include-restricted", []*briefbot.Matter{m}); err != nil {
		return err
	}
	if m = r.matter(m); redacted(m) {
		fmt.Fprintf(e.stdout, "%s  %s\n\n限定知悉范围：内容不显示。确需查看请加 --include-restricted（将记入审计日志）。\n"+
			"Restricted circulation: content withheld. Add --include-restricted to read it (recorded in the audit log).\n",
			m.Number, m.Status.Label(briefbot.LangZH))
		return nil
	}
	writeMatter(e.stdout, m)
	return nil
}

// writeMatter prints a matter's whole record for an operator.
func writeMatter(w interface{ Write([]byte) (int, error) }, m *briefbot.Matter) {
	zh := briefbot.LangZH
	line := func(label, value string) {
		if strings.TrimSpace(value) != "" {
			fmt.Fprintf(w, "%-6s %s\n", label, value)
		}
	}
	date := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(briefbot.DefaultLocation()).Format("2006-01-02 15:04")
	}
	fmt.Fprintf(w, "%s  %s\n%s\n\n", m.Number, m.Number.Doc(), m.Title)
	kind := m.Kind.Label(zh)
	if m.Kind == briefbot.KindReport {
		kind += "（" + m.ReportType.Label(zh) + "）"
	}
	line("类型", kind)
	line("状态", m.Status.Label(zh))
	line("紧急程度", m.Urgency.Label(zh))
	line("报送单位", string(m.Department))
	line("报送人", string(m.Submitter))
	line("签发人", string(m.Signatory)+" "+date(m.SignedOn))
	line("主送", string(m.Addressee))
	line("抄送", join(m.Copied))
	line("类别", m.Category)
	line("答复期限", date(m.AnswerBy))
	if !m.FollowUpOf.IsZero() {
		line("首报", m.FollowUpOf.String())
	}
	if len(m.Restricted) > 0 {
		line("知悉范围", fmt.Sprint(m.Restricted))
	}
	line("请示事项", m.RequestedItem)
	line("理由", m.Reasons)
	line("意见建议", m.Recommendation)
	if m.Body != "" {
		fmt.Fprintf(w, "\n%s\n", m.Body)
	}
	for _, in := range m.Instructions {
		by := string(in.Leader)
		if in.RecordedBy != "" {
			by += "（" + string(in.RecordedBy) + "代录）"
		}
		fmt.Fprintf(w, "\n%s %s %s：%s", date(in.At), by, briefbot.Action(in.Kind).Label(zh), in.Text)
	}
	if a := m.Assignment; a != nil {
		fmt.Fprintf(w, "\n转办：主办 %s 协办 %s 时限 %s\n", a.Lead, join(a.Assisting), date(a.Deadline))
	}
	for _, f := range m.Feedback {
		fmt.Fprintf(w, "\n%s %s %s：%s %s", date(f.At), f.By, f.Kind, f.Text, f.Decision)
	}
	fmt.Fprintln(w, "\n\n办理记录：")
	for _, ev := range m.History {
		by := string(ev.Actor)
		if ev.OnBehalfOf != "" {
			by += "（代 " + string(ev.OnBehalfOf) + "）"
		}
		fmt.Fprintf(w, "  %d. %s %s %s → %s %s\n", ev.Seq, date(ev.At), by, ev.Action.Label(zh), ev.To.Label(zh), ev.Reason)
	}
}

// checkLedger checks the ledger on its engine: the bbolt file's pages and then the
// ledger in it, or the ledger on the cluster.
func (e *environment) checkLedger(data string) ([]string, error) {
	if e.engine != "etcd" {
		return store.CheckFile(data)
	}
	s, err := e.openStore(data, store.Options{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer s.Close()
	return s.Check()
}

func (e *environment) check(ctx context.Context, args []string) error {
	var data string
	fs := e.flags("check", &data)
	if err := fs.Parse(args); err != nil {
		return err
	}
	problems, err := e.checkLedger(data)
	if err != nil {
		return err
	}
	name := data
	if e.engine == "etcd" {
		name = "etcd " + e.etcdConfig().Prefix
	}
	if len(problems) == 0 { // the ledger reads: check every file its matters name
		s, err := e.openStore(data, store.Options{ReadOnly: true})
		if err != nil {
			return err
		}
		fps, notes, err := checkFiles(ctx, s, files.At(e.filesDir(data)))
		s.Close()
		if err != nil {
			return err
		}
		problems = append(problems, fps...)
		for _, n := range notes {
			fmt.Fprintln(e.stdout, "NOTE:", n)
		}
	}
	for _, p := range problems {
		fmt.Fprintln(e.stdout, "PROBLEM:", p)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %d in %s", errProblems, len(problems), name)
	}
	fmt.Fprintf(e.stdout, "OK: %s 一致性检查通过，附件文件与哈希一致 / is consistent, and every attached file matches its hash\n", name)
	return nil
}

func (e *environment) backup(ctx context.Context, args []string) error {
	var data string
	fs := e.flags("backup", &data)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: briefbot backup FILE", errUsage)
	}
	var n int64
	if e.engine == "etcd" { // a consistent export of the cluster's ledger into a bbolt file
		s, err := e.openStore(data, store.Options{ReadOnly: true})
		if err != nil {
			return err
		}
		defer s.Close()
		got, err := e.backupToFile(ctx, s, fs.Arg(0))
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "OK: %s → %s（%d 件事项，审计链头 %s，已核对）/ (%d matters, audit head %s, checked)\n", s.Path(), fs.Arg(0), got.Matters, got.Head, got.Matters, got.Head)
		return nil
	}
	s, err := e.openStore(data, store.Options{ReadOnly: true})
	if briefbot.ErrorReason(err) == "store_locked" {
		// The bot is running and holds the file: it takes the backup itself, hot.
		if n, err = e.backupViaBot(fs.Arg(0), e.backupDir(data)); err != nil {
			return err
		}
	} else if err != nil {
		return err
	} else {
		defer s.Close()
		if n, err = s.Backup(fs.Arg(0)); err != nil {
			return err
		}
	}
	fmt.Fprintf(e.stdout, "OK: %s → %s (%d bytes, checked)\n", data, fs.Arg(0), n)
	return nil
}

// join lists ids with 、.
func join[T ~string](ids []T) string {
	var ss []string
	for _, id := range ids {
		ss = append(ss, string(id))
	}
	return strings.Join(ss, "、")
}
