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
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	s, err := store.Open(data, store.Options{ReadOnly: true})
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
		werr = enc.Encode(a)
		return werr == nil
	})
	if err == nil {
		err = werr
	}
	return err
}
