package main

import (
	"context"
	"os/user"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/store"
)

// restrictedTitle stands for a restricted matter's content wherever the CLI prints or
// exports one without --include-restricted.
const restrictedTitle = "限定范围（内容不显示） / restricted (content withheld)"

// redaction is how every CLI output shows restricted matters (限定知悉范围): by
// default as the bot shows them to someone off their list (number, kind, department,
// addressee, status, dates) and their audit entries not at all — who opened,
// instructed or reported on a restricted matter is not for everyone either. With
// --include-restricted (include) they are shown in full, and each one so read is
// recorded in the audit log with who ran which command.
type redaction struct {
	include    bool
	restricted map[uint64]bool // the restricted matters' ids, for the audit entries
}

// matter is m as the output may carry it.
func (r *redaction) matter(m *briefbot.Matter) *briefbot.Matter {
	if len(m.Restricted) == 0 {
		return m
	}
	if r.restricted == nil {
		r.restricted = map[uint64]bool{}
	}
	r.restricted[m.ID] = true
	if r.include {
		return m
	}
	return &briefbot.Matter{ID: m.ID, Number: m.Number, Kind: m.Kind, Department: m.Department, Addressee: m.Addressee,
		Status: m.Status, Version: m.Version, CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt, SubmittedAt: m.SubmittedAt,
		Title: restrictedTitle, Restricted: []briefbot.MemberID{"(redacted)"}}
}

// redacted reports whether m is a stand-in made by matter.
func redacted(m *briefbot.Matter) bool {
	return len(m.Restricted) == 1 && m.Restricted[0] == "(redacted)"
}

// entry reports whether the output may carry audit entry e: not one about a
// restricted matter (one matter has seen) unless include.
func (r *redaction) entry(e briefbot.AuditEntry) bool {
	return r.include || e.MatterID == 0 || !r.restricted[e.MatterID]
}

// options are how a command that may read restricted content opens the store:
// read-only, or writable when --include-restricted asks for content whose reading
// must be recorded.
func (r *redaction) options() store.Options { return store.Options{ReadOnly: !r.include} }

// record writes, for each restricted matter the command read in full, who read it
// and with which command. A read that cannot be recorded is an error: no record, no
// access (the command prints nothing).
func (r *redaction) record(ctx context.Context, s *store.Store, actor briefbot.MemberID, command string, ms []*briefbot.Matter) error {
	if !r.include {
		return nil
	}
	for _, m := range ms {
		if len(m.Restricted) == 0 {
			continue
		}
		e := briefbot.AuditEntry{Actor: actor, Action: briefbot.AuditViewRestricted, MatterID: m.ID, Number: m.Number.String(), Detail: command}
		if err := s.AppendAudit(ctx, e); err != nil {
			return err
		}
	}
	return nil
}

// actor names who ran a CLI command in the audit log: the operating-system user.
func (e *environment) actor() briefbot.MemberID {
	name := e.getenv("USER")
	if u, err := user.Current(); err == nil && u.Username != "" {
		name = u.Username
	}
	if name == "" {
		name = "unknown"
	}
	return briefbot.MemberID("cli:" + name)
}
