package briefbot

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// AuditAction names what an audit entry records: a step of a matter's life (an
// Action's name) or one of the events below.
type AuditAction string

// Audit events other than steps.
const (
	AuditViewRestricted AuditAction = "view_restricted" // a restricted matter was opened
	AuditConfigReload   AuditAction = "config_reload"   // the org config was reloaded
	AuditDraft          AuditAction = "draft"           // a member's draft was saved
	AuditRecord         AuditAction = "record"          // a matter's record changed without a step
)

// AuditStep is the audit action of a step.
func AuditStep(a Action) AuditAction { return AuditAction(a) }

// AuditDispatch is the audit action of a dispatch of kind k put in the outbox.
func AuditDispatch(k DispatchKind) AuditAction { return AuditAction("dispatch_" + string(k)) }

// AuditEntry is one line of the append-only audit log, written in the same transaction
// as the change it records. Entries are hash-chained: Hash covers the entry (with Hash
// empty) and Prev, the previous entry's Hash, so editing, deleting or reordering any
// entry breaks the chain from there on. An entry about a change to a matter commits
// to the matter's stored record as it stands after the change (Record), so the last
// such entry of a matter and its record must agree: a record edited in the file
// fails verification at that matter. The chain as a whole is anchored by its head
// (AuditAnchor), printed where people keep it; a chain rewritten from an edited entry
// on no longer holds an anchor taken before.
type AuditEntry struct {
	Seq        uint64      `json:"seq"`
	At         time.Time   `json:"at"`
	Actor      MemberID    `json:"actor"`
	OnBehalfOf MemberID    `json:"on_behalf_of,omitempty"`
	Action     AuditAction `json:"action"`
	MatterID   uint64      `json:"matter_id,omitempty"`
	Number     string      `json:"number,omitempty"`
	From       Status      `json:"from,omitempty"`
	To         Status      `json:"to,omitempty"`
	Version    int         `json:"version,omitempty"`
	Detail     string      `json:"detail,omitempty"` // what else the event needs said, never matter content
	Record     string      `json:"record,omitempty"` // the SHA-256 of the matter's stored record after the change
	Prev       string      `json:"prev"`
	Hash       string      `json:"hash"`
}

// SystemActor is the actor of what the bot does on its own (dispatches, reloads by signal).
const SystemActor MemberID = "briefbot"

// AuditAnchor is the head of the audit chain at some moment: the sequence number and
// hash of its last entry. Printed in every briefing's footer and monthly report and
// logged daily, it lets anyone who kept one check later that the chain still passes
// through it (briefbot audit verify --head).
type AuditAnchor struct {
	Seq  uint64
	Hash string // hex SHA-256
}

// IsZero reports whether a is no anchor (an empty chain, or none given).
func (a AuditAnchor) IsZero() bool { return a.Seq == 0 && a.Hash == "" }

// String is the anchor as printed: "#SEQ:HASH".
func (a AuditAnchor) String() string {
	if a.IsZero() {
		return ""
	}
	return fmt.Sprintf("#%d:%s", a.Seq, a.Hash)
}

// ParseAnchor reads an anchor as printed ("#1234:9f86d0…", the # optional), or a hash
// alone. A hash may be shortened to no fewer than 16 hex digits.
func ParseAnchor(s string) (AuditAnchor, error) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "#")
	var a AuditAnchor
	if seq, hash, ok := strings.Cut(s, ":"); ok {
		n, err := strconv.ParseUint(seq, 10, 64)
		if err != nil || n == 0 {
			return AuditAnchor{}, Errorf(EINVALID, ReasonBadAnchor, msgBadAnchor)
		}
		a.Seq, s = n, hash
	}
	s = strings.ToLower(s)
	if len(s) < 16 || len(s) > 64 || strings.Trim(s, "0123456789abcdef") != "" {
		return AuditAnchor{}, Errorf(EINVALID, ReasonBadAnchor, msgBadAnchor)
	}
	a.Hash = s
	return a, nil
}

// Holds reports whether entry e is the entry anchor a names (a shortened hash matches
// its prefix; a sequence number, when given, must match too).
func (a AuditAnchor) Holds(e AuditEntry) bool {
	return a.Hash != "" && strings.HasPrefix(e.Hash, a.Hash) && (a.Seq == 0 || a.Seq == e.Seq)
}

var msgBadAnchor = Text{
	ZH: "审计链头应形如 #1234:9f86d081884c7d65…（序号:哈希，哈希至少 16 位十六进制）。",
	EN: "An audit anchor looks like #1234:9f86d081884c7d65… (sequence:hash, at least 16 hex digits of the hash).",
}

// AuditReport is what verifying the audit log found.
type AuditReport struct {
	Entries int         // entries in the chain
	Head    AuditAnchor // its head now
	Matters int         // matters whose record was checked against their last entry
	Legacy  int         // matters whose entries all predate record hashes: not checked
	Problem string      // the first problem, described; "" when the log and the records agree
}
