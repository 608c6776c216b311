package store_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/briefbot/briefbot/store"
	"github.com/briefbot/briefbot/store/storetest"
)

// TestContract runs the ledger's contract on a bbolt file.
func TestContract(t *testing.T) {
	storetest.Run(t, func(tb testing.TB, now func() time.Time) *store.Store {
		s, err := store.Open(filepath.Join(tb.TempDir(), "ledger.db"), store.Options{Now: now})
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() {
			if ps, err := s.Check(); err != nil || len(ps) > 0 {
				tb.Errorf("check: %v %v", ps, err)
			}
			s.Close()
		})
		return s
	})
}
