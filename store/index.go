package store

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

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
//	dd\0<department>\0<unix seconds (8)><id>  the same, by submitting department
//	da\0<department>\0<unix seconds (8)><id>  the same, by lead or assisting unit
//	dt\0<committee>\0<unix seconds (8)><id>   the same, by addressee or copied committee
//	so\0\0<id>                 waiting for sign-off (Matter.AwaitsSignOff)
//
// <id> is the 8-byte big-endian matter ID, so each prefix lists matters oldest first and
// a reverse scan lists them newest first. The deadline keys list them by deadline: the
// overdue list of a department, unit or committee reads only its own (schema 5).
const (
	ixStatus    = "st"
	ixDept      = "dp"
	ixTo        = "to"
	ixCC        = "cc"
	ixSeries    = "ky"
	ixSubmitter = "sb"
	ixAssignee  = "as"
	ixDue       = "du"
	ixDueDept   = "dd"
	ixDueUnit   = "da"
	ixDueTo     = "dt"
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

// dueKeyOf is dueKey under one department's, unit's or committee's prefix.
func dueKeyOf(kind, value string, t time.Time, id uint64) []byte {
	b := append(ixPrefix(kind, value), u64(uint64(max(t.Unix(), 0)))...)
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
		ks = append(ks, dueKey(d, id), dueKeyOf(ixDueDept, string(m.Department), d, id),
			dueKeyOf(ixDueTo, string(m.Addressee), d, id))
		for _, c := range m.Copied {
			if c != m.Addressee {
				ks = append(ks, dueKeyOf(ixDueTo, string(c), d, id))
			}
		}
		if a := m.Assignment; a != nil {
			for _, u := range a.Units() {
				ks = append(ks, dueKeyOf(ixDueUnit, string(u), d, id))
			}
		}
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

// byUnitDueKeys returns m's deadline keys by department, unit and committee: what
// schema 5 added to the index.
func byUnitDueKeys(m *briefbot.Matter) [][]byte {
	var ks [][]byte
	for _, key := range indexKeys(m) {
		switch string(key[:2]) {
		case ixDueDept, ixDueUnit, ixDueTo:
			ks = append(ks, key)
		}
	}
	return ks
}

// migrateDueIndex adds the deadline keys by department, unit and committee to a ledger
// file that has only the ledger-wide one (schema 4 to 5). Only open matters with a
// deadline have them; like migrateSearch it gathers them first and writes them in key
// order.
func migrateDueIndex(tx *bolt.Tx) error {
	var keys [][]byte
	err := tx.Bucket(bucketMatters).ForEach(func(k, v []byte) error {
		m, err := decode(v)
		if err != nil {
			return err
		}
		keys = append(keys, byUnitDueKeys(m)...)
		return nil
	})
	if err != nil {
		return err
	}
	slices.SortFunc(keys, bytes.Compare)
	ix := tx.Bucket(bucketIndex)
	for _, k := range keys {
		if err := ix.Put(k, nil); err != nil {
			return err
		}
	}
	return nil
}

// migrateEngineDueIndex is migrateDueIndex on an engine other than a file (etcd),
// whose transactions are bounded: it reads the matters a batch at a time and writes
// each batch's keys in a transaction of its own, halving a batch the engine finds too
// large. Each batch is idempotent, so an upgrade cut short is finished by the next
// start; the schema version is raised only after the last batch. Every replica must
// be stopped while it runs, as for any upgrade: a replica of the older build would
// write matters without these keys.
func migrateEngineDueIndex(ctx context.Context, eng kv.Engine) error {
	after, batch := uint64(0), 1024
	for {
		var keys [][]byte
		last, n := after, 0
		err := eng.View(ctx, func(tx kv.Tx) error {
			keys, last, n = keys[:0], after, 0
			c := tx.Bucket(bucketMatters).Cursor()
			for k, v := c.Seek(u64(after + 1)); k != nil && n < batch; k, v = c.Next() {
				m, err := decode(v)
				if err != nil {
					return err
				}
				keys = append(keys, byUnitDueKeys(m)...)
				last, n = btou(k), n+1
			}
			return nil
		})
		if err != nil || n == 0 {
			return err
		}
		err = eng.Update(ctx, func(tx kv.Tx) error {
			ix := tx.Bucket(bucketIndex)
			for _, k := range keys {
				if err := ix.Put(k, nil); err != nil {
					return err
				}
			}
			return nil
		})
		if errors.Is(err, kv.ErrTooLarge) && batch > 1 {
			batch /= 2
			continue
		}
		if err != nil {
			return err
		}
		after = last
	}
}
