package store

import (
	"bytes"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/store/kv"
)

// Secondary index keys, all in one bucket, with empty values:
//
//	st\0<status>\0<id>       status
//	dp\0<department>\0<id>   submitting department
//	to\0<committee>\0<id>    addressee
//	cc\0<committee>\0<id>    copied committee
//	ky\0<QS-2026>\0<id>      kind and year (ledger series)
//	sb\0<member>\0<id>       submitter
//	as\0<department>\0<id>   lead or assisting unit of the assignment
//	du\0<unix seconds (8)><id> current deadline (Matter.DueAt), open matters only
//	so\0\0<id>                 waiting for sign-off (Matter.AwaitsSignOff)
//
// <id> is the 8-byte big-endian matter ID, so each prefix lists matters oldest first and
// a reverse scan lists them newest first.
const (
	ixStatus    = "st"
	ixDept      = "dp"
	ixTo        = "to"
	ixCC        = "cc"
	ixSeries    = "ky"
	ixSubmitter = "sb"
	ixAssignee  = "as"
	ixDue       = "du"
	ixSignOff   = "so"
)

func ixPrefix(kind, value string) []byte {
	b := make([]byte, 0, len(kind)+len(value)+2)
	b = append(b, kind...)
	b = append(b, 0)
	b = append(b, value...)
	return append(b, 0)
}

func ixKey(kind, value string, id uint64) []byte { return append(ixPrefix(kind, value), u64(id)...) }

func dueKey(t time.Time, id uint64) []byte {
	b := []byte(ixDue + "\x00")
	b = append(b, u64(uint64(max(t.Unix(), 0)))...)
	return append(b, u64(id)...)
}

// indexKeys returns every index key m should have.
func indexKeys(m *briefbot.Matter) [][]byte {
	id := m.ID
	ks := [][]byte{
		ixKey(ixStatus, string(m.Status), id),
		ixKey(ixDept, string(m.Department), id),
		ixKey(ixTo, string(m.Addressee), id),
		ixKey(ixSubmitter, string(m.Submitter), id),
	}
	for _, c := range m.Copied {
		ks = append(ks, ixKey(ixCC, string(c), id))
	}
	if !m.Number.IsZero() {
		ks = append(ks, ixKey(ixSeries, m.Number.Series(), id))
	}
	if a := m.Assignment; a != nil {
		for _, d := range a.Units() {
			ks = append(ks, ixKey(ixAssignee, string(d), id))
		}
	}
	if d := m.DueAt(); !d.IsZero() {
		ks = append(ks, dueKey(d, id))
	}
	if m.AwaitsSignOff() {
		ks = append(ks, ixKey(ixSignOff, "", id))
	}
	return ks
}

// reindex replaces old's index keys by m's (old may be nil for a new matter).
func reindex(tx kv.Tx, old, m *briefbot.Matter) error {
	ix := tx.Bucket(bucketIndex)
	newKeys := indexKeys(m)
	if old != nil {
		for _, k := range indexKeys(old) {
			if !containsKey(newKeys, k) {
				if err := ix.Delete(k); err != nil {
					return err
				}
			}
		}
	}
	for _, k := range newKeys {
		if err := ix.Put(k, nil); err != nil {
			return err
		}
	}
	return indexSearch(tx, old, m)
}

func containsKey(ks [][]byte, k []byte) bool {
	for _, x := range ks {
		if bytes.Equal(x, k) {
			return true
		}
	}
	return false
}
