package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/store"
)

// audit is `briefbot audit verify` and `briefbot audit export [FILE]`.
func (e *environment) audit(ctx context.Context, args []string) error {
	if len(args) == 0 || (args[0] != "verify" && args[0] != "export") {
		return fmt.Errorf("%w: briefbot audit verify | briefbot audit export [FILE]", errUsage)
	}
	var data string
	fs := e.flags("audit "+args[0], &data)
	r := &redaction{}
	if args[0] == "export" {
		fs.BoolVar(&r.include, "include-restricted", false, "export the entries about restricted matters too (recorded in the audit log)")
	}
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	s, err := store.Open(data, r.options())
	if err != nil {
		return err
	}
	defer s.Close()
	switch args[0] {
	case "verify":
		n, problem, err := s.VerifyAudit(ctx)
		if err != nil {
			return err
		}
		if problem != "" {
			fmt.Fprintf(e.stdout, "BROKEN: %s (%d entries in %s)\n", problem, n, data)
			return fmt.Errorf("%w: the audit chain is broken", errProblems)
		}
		fmt.Fprintf(e.stdout, "OK: 审计链完整，共 %d 条 / the audit chain is intact: %d entries (%s)\n", n, n, data)
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
