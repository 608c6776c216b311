package store

import (
	"bytes"
	"context"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/store/kv"
)

// bucketConversations: member -> version (8) + until (8, unix nanoseconds) + state.
var bucketConversations = []byte("conversations")

// Conversation implements briefbot.Conversations.
func (s *Store) Conversation(ctx context.Context, member briefbot.MemberID) ([]byte, uint64, error) {
	var state []byte
	var version uint64
	err := s.view(ctx, func(tx kv.Tx) error {
		v := tx.Bucket(bucketConversations).Get([]byte(member))
		if len(v) < 16 || btou(v[8:16]) == 0 { // none, or ended
			return nil
		}
		version, state = btou(v[:8]), bytes.Clone(v[16:])
		return nil
	})
	return state, version, err
}

// SaveConversation implements briefbot.Conversations.
func (s *Store) SaveConversation(ctx context.Context, member briefbot.MemberID, state []byte, version uint64, until time.Time) (uint64, error) {
	var next uint64
	err := s.update(ctx, func(tx kv.Tx) error {
		b := tx.Bucket(bucketConversations)
		key := []byte(member)
		var kept, last uint64 // the version in progress (0: none), the last given
		if v := b.Get(key); len(v) >= 16 {
			last = btou(v[:8])
			if btou(v[8:16]) != 0 {
				kept = last
			}
		}
		// An ended one counts as none, but its versions go on, so a replica still
		// holding it cannot take the next conversation for it. Whether one in progress
		// has expired is the bot's to judge, by its clock; until is for purging.
		if kept != version {
			return briefbot.Errorf(briefbot.ECONFLICT, briefbot.ReasonConversationMoved, briefbot.Text{
				ZH: "这段对话刚刚在别处有了新的回答，请再发一次您的回答。",
				EN: "This conversation was just answered elsewhere; please send your answer again."})
		}
		next = max(kept, last) + 1
		ends := uint64(max(until.UnixNano(), 1))
		if state == nil { // ended: kept with no time, so its versions go on (see above)
			ends = 0
		}
		v := append(append(u64(next), u64(ends)...), state...)
		return b.Put(key, v)
	}, kv.Key{Bucket: bucketConversations, Key: []byte(member)})
	return next, err
}

// purgeConversations forgets the conversations expired (or ended) at now.
func purgeConversations(tx kv.Tx, now time.Time) (int, error) {
	b := tx.Bucket(bucketConversations)
	var dead [][]byte
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if len(v) < 16 || int64(btou(v[8:16])) <= now.UnixNano() { // ended ones too (0)
			dead = append(dead, bytes.Clone(k))
		}
	}
	for _, k := range dead {
		if err := b.Delete(k); err != nil {
			return 0, err
		}
	}
	return len(dead), nil
}
