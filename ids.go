package briefbot

import (
	"strconv"
	"strings"
)

// MemberID identifies a person in the org config (not their Slack ID, which may change).
type MemberID string

// DepartmentID identifies a submitting unit in the org config, e.g. "criminal".
type DepartmentID string

// CommitteeID identifies a leadership body in the org config, e.g. "party".
type CommitteeID string

// Ref names one matter: by its ledger number, or by its id when it has none yet (a
// member's draft). Exactly one of the two is set.
type Ref struct {
	ID     uint64
	Number Number
}

// RefNumber is the Ref of the matter with ledger number n.
func RefNumber(n Number) Ref { return Ref{Number: n} }

// RefID is the Ref of the matter with id.
func RefID(id uint64) Ref { return Ref{ID: id} }

// String is the ledger number, or "#id" for a matter without one.
func (r Ref) String() string {
	if !r.Number.IsZero() {
		return r.Number.String()
	}
	return "#" + uitoa(r.ID)
}

// ParseRef reads a Ref as String writes it: "#id", or a ledger number as people type
// it (ParseNumber).
func ParseRef(s string) (Ref, error) {
	if rest, ok := strings.CutPrefix(strings.TrimSpace(s), "#"); ok {
		if id, err := strconv.ParseUint(rest, 10, 64); err == nil && id > 0 {
			return RefID(id), nil
		}
	}
	n, err := ParseNumber(s)
	if err != nil {
		return Ref{}, err
	}
	return RefNumber(n), nil
}

func uitoa(v uint64) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			return string(b[i:])
		}
	}
}
