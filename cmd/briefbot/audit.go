package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/briefbot/briefbot"
)

// audit is `briefbot audit verify [--head ANCHOR]` and `briefbot audit export [FILE]`.
func (e *environment) audit(ctx context.Context, args []string) error {
	if len(args) == 0 || (args[0] != "verify" && args[0] != "export") {
		return fmt.Errorf("%w: briefbot audit verify | briefbot audit export [FILE]", errUsage)
	}
	var data, head string
	fs := e.flags("audit "+args[0], &data)
	r := &redaction{}
	if args[0] == "export" {
		fs.BoolVar(&r.include, "include-restricted", false, "export the entries about restricted matters too (recorded in the audit log)")
	} else {
		fs.StringVar(&head, "head", "", "an anchor kept earlier (#SEQ:HASH, from a briefing's footer): the chain must still hold it")
	}
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	var anchor briefbot.AuditAnchor
	if head != "" {
		a, err := briefbot.ParseAnchor(head)
		if err != nil {
			return err
		}
		anchor = a
	}
	s, err := e.openStore(data, r.options())
	if err != nil {
		return err
	}
	defer s.Close()
	if args[0] == "verify" {
		rep, err := s.VerifyAudit(ctx, anchor)
		if err != nil {
			return err
		}
		if rep.Problem != "" {
			fmt.Fprintf(e.stdout, "BROKEN: %s (%d entries in %s)\n", rep.Problem, rep.Entries, data)
			return fmt.Errorf("%w: the audit log does not hold", errProblems)
		}
		fmt.Fprintf(e.stdout, "OK: 审计链完整，共 %d 条；%d 件事项的记录与审计一致 / the audit chain is intact: %d entries; %d matters' records agree with it (%s)\n",
			rep.Entries, rep.Matters, rep.Entries, rep.Matters, data)
		if rep.Legacy > 0 {
			fmt.Fprintf(e.stdout, "注意：%d 件事项的审计记录早于内容哈希，未能核对其内容 / note: %d matters' entries predate record hashes; their content was not checked\n", rep.Legacy, rep.Legacy)
		}
		if !anchor.IsZero() {
			fmt.Fprintf(e.stdout, "OK: 链中含有所给的链头 %s / the chain holds the anchor given\n", head)
		}
		fmt.Fprintf(e.stdout, "链头 / head: %s\n", rep.Head)
		return nil
	}
	// Entries about restricted matters say who read, instructed and reported on them:
	// withheld like the matters themselves, unless asked for, and then recorded.
	var restricted []*briefbot.Matter
	if err := s.Each(ctx, briefbot.Filter{}, func(m *briefbot.Matter) bool {
		if r.matter(m); len(m.Restricted) > 0 {
			restricted = append(restricted, m)
		}
		return true
	}); err != nil {
		return err
	}
	if err := r.record(ctx, s, e.actor(), "audit export --include-restricted", restricted); err != nil {
		return err
	}
	out := e.stdout
	if fs.NArg() == 1 {
		f, err := os.Create(fs.Arg(0))
		if err != nil {
			return err
		}
		defer f.Close()
		out = f
	}
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	var werr error
	err = s.Audit(ctx, func(a briefbot.AuditEntry) bool {
		if !r.entry(a) {
			return true
		}
		werr = enc.Encode(a)
		return werr == nil
	})
	if err == nil {
		err = werr
	}
	return err
}
