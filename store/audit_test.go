package store_test

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/store"
)

// auditLedger is a ledger with a request instructed by 赵书记 and a report, closed.
func auditLedger(t *testing.T) (path string, req *briefbot.Matter) {
	t.Helper()
	c := newClock()
	path = filepath.Join(t.TempDir(), "briefbot.db")
	s, err := store.Open(path, store.Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	req = mustSubmit(t, s, request("关于某案的请示"))
	req = mustApply(t, s, req.ID, briefbot.Step{Action: briefbot.ActionInstruct, Actor: "zhao", At: c.Now(), Text: "同意，依法公开审理。"})
	mustSubmit(t, s, report("关于一季度的报告"))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return path, req
}

func verify(t *testing.T, path string, anchor briefbot.AuditAnchor) briefbot.AuditReport {
	t.Helper()
	s, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	r, err := s.VerifyAudit(ctx, anchor)
	if err != nil {
		t.Fatal(err)
	}
	ps, err := s.Check()
	if err != nil {
		t.Fatal(err)
	}
	if anchor.IsZero() && (r.Problem == "") != (len(ps) == 0) {
		t.Fatalf("audit verify and check disagree: %q vs %v", r.Problem, ps)
	}
	return r
}

func head(t *testing.T, path string) briefbot.AuditAnchor {
	t.Helper()
	s, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	a, err := s.AuditHead(ctx)
	if err != nil || a.IsZero() {
		t.Fatalf("head = %v %v", a, err)
	}
	return a
}

// editMatter rewrites a stored matter with edit.
func editMatter(t *testing.T, path string, id uint64, edit func(m *briefbot.Matter)) {
	t.Helper()
	rawUpdate(t, path, func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("matters"))
		k := binary.BigEndian.AppendUint64(nil, id)
		m, err := store.DecodeRecord(b.Get(k))
		if err != nil {
			return err
		}
		edit(m)
		return b.Put(k, store.EncodeRecord(m))
	})
}

// rechain edits audit entries with edit and recomputes every hash after, and the
// head, as an attacker who knows the format would.
func rechain(t *testing.T, path string, edit func(e *briefbot.AuditEntry)) {
	t.Helper()
	rawUpdate(t, path, func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("audit"))
		prev := ""
		c := b.Cursor()
		type kv struct{ k, v []byte }
		var out []kv
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var e briefbot.AuditEntry
			if err := json.Unmarshal(v, &e); err != nil {
				return err
			}
			edit(&e)
			e.Prev, e.Hash = prev, ""
			buf, _ := json.Marshal(e)
			sum := sha256.Sum256(buf)
			e.Hash = hex.EncodeToString(sum[:])
			buf, _ = json.Marshal(e)
			out = append(out, kv{append([]byte(nil), k...), buf})
			prev = e.Hash
		}
		for _, x := range out {
			if err := b.Put(x.k, x.v); err != nil {
				return err
			}
		}
		return tx.Bucket([]byte("meta")).Put([]byte("audit_head"), []byte(prev))
	})
}

// TestAudit_CoversTheContent: an honest ledger verifies, with every matter's record
// checked; a 批示 whose text and leader are edited in the file fails at that matter,
// in `audit verify` and `check` alike; so does a matter added outside the bot.
func TestAudit_CoversTheContent(t *testing.T) {
	path, req := auditLedger(t)
	if r := verify(t, path, briefbot.AuditAnchor{}); r.Problem != "" || r.Matters != 2 || r.Legacy != 0 || r.Entries != 3 {
		t.Fatalf("an honest ledger: %+v", r)
	}
	editMatter(t, path, req.ID, func(m *briefbot.Matter) {
		in := &m.Instructions[0]
		in.Text, in.Leader = "不同意。", "sun"
	})
	r := verify(t, path, briefbot.AuditAnchor{})
	if !strings.Contains(r.Problem, req.Number.String()) || !strings.Contains(r.Problem, "edited") {
		t.Fatalf("an edited 批示 was not caught at its matter: %+v", r)
	}

	path, _ = auditLedger(t)
	rawUpdate(t, path, func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("matters"))
		k, v := b.Cursor().First()
		return b.Put(binary.BigEndian.AppendUint64(nil, binary.BigEndian.Uint64(k)+100), v)
	})
	if r := verify(t, path, briefbot.AuditAnchor{}); !strings.Contains(r.Problem, "added outside") {
		t.Fatalf("a matter added in the file: %+v", r)
	}
}

// TestAudit_AnAnchorCatchesARewrittenChain: an attacker edits an audit entry (or a
// matter and the entry recording it) and recomputes every later hash: the chain alone
// verifies again, but not against an anchor taken before — whether that anchor is the
// edited entry's or a later one's — while an anchor of the honest chain is held.
func TestAudit_AnAnchorCatchesARewrittenChain(t *testing.T) {
	path, req := auditLedger(t)
	anchor := head(t, path)
	if r := verify(t, path, anchor); r.Problem != "" || r.Head != anchor {
		t.Fatalf("the honest chain against its own head: %+v", r)
	}
	short, err := briefbot.ParseAnchor(anchor.Hash[:16])
	if err != nil {
		t.Fatal(err)
	}
	if r := verify(t, path, short); r.Problem != "" {
		t.Fatalf("a 16-digit anchor: %+v", r)
	}
	// Who instructed, rewritten in the log and the matter alike.
	editMatter(t, path, req.ID, func(m *briefbot.Matter) {
		m.Instructions[0].Leader = "sun"
	})
	rechain(t, path, func(e *briefbot.AuditEntry) {
		if e.Action == briefbot.AuditStep(briefbot.ActionInstruct) {
			e.Actor = "sun"
		}
	})
	// The attacker also recomputes the record hash of the edited matter.
	var record string
	rawUpdate(t, path, func(tx *bolt.Tx) error {
		sum := sha256.Sum256(tx.Bucket([]byte("matters")).Get(binary.BigEndian.AppendUint64(nil, req.ID)))
		record = hex.EncodeToString(sum[:])
		return nil
	})
	rechain(t, path, func(e *briefbot.AuditEntry) {
		if e.MatterID == req.ID && e.Record != "" {
			e.Record = record
		}
	})
	if r := verify(t, path, briefbot.AuditAnchor{}); r.Problem != "" {
		t.Fatalf("without an anchor a full rewrite cannot be told (the reason for anchors): %+v", r)
	}
	for _, a := range []briefbot.AuditAnchor{anchor, {Seq: 2, Hash: anchor.Hash}, short} {
		if r := verify(t, path, a); !strings.Contains(r.Problem, "rewritten") {
			t.Fatalf("a rewritten chain against the anchor %s: %+v", a, r)
		}
	}
}

// TestAudit_AnchorsThatDoNotReadAreRefused: an anchor must read as #SEQ:HASH with at
// least 16 hex digits; anything else is refused with how it should look.
func TestAudit_AnchorsThatDoNotReadAreRefused(t *testing.T) {
	for _, s := range []string{"", "#", "#12", "abc", "#x:0123456789abcdef", "#0:0123456789abcdef", "0123456789abcdeg", "#1:" + strings.Repeat("a", 65)} {
		if _, err := briefbot.ParseAnchor(s); briefbot.ErrorReason(err) != briefbot.ReasonBadAnchor || !strings.Contains(briefbot.ErrorMessage(err, briefbot.LangZH), "#1234:") {
			t.Fatalf("ParseAnchor(%q) = %v", s, err)
		}
	}
	a, err := briefbot.ParseAnchor(" #7:0123456789ABCDEF0123 ")
	if err != nil || a.Seq != 7 || a.Hash != "0123456789abcdef0123" {
		t.Fatalf("ParseAnchor = %+v %v", a, err)
	}
}
