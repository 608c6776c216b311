package slackapp

import (
	"github.com/briefbot/briefbot/internal/jsonscan"
)

// elideBlocks returns payload without the block trees of its view and message (the
// "blocks" members of its top-level "view" and "message" objects), appended to dst,
// which the bot does not read and the JSON decoder would otherwise scan twice (once
// to validate, once to skip). Anything else is copied as it is. A payload that is not
// a well-formed object at the levels walked is returned whole (ok false), for the
// decoder to judge. What a block tree contains is not checked: a payload whose blocks
// are malformed is decoded all the same.
func elideBlocks(dst, payload []byte) (out []byte, ok bool) {
	out, end, ok := elideIn(dst, payload, jsonscan.Space(payload, 0), 0)
	if !ok || jsonscan.Space(payload, end) != len(payload) {
		return payload, false
	}
	return out, true
}

// elideIn copies the object at b[i:] to dst: at depth 0 the members "view" and
// "message" are filtered in turn, at depth 1 the member "blocks" is left out.
func elideIn(dst, b []byte, i, depth int) ([]byte, int, bool) {
	if i >= len(b) || b[i] != '{' {
		return dst, i, false
	}
	dst = append(dst, '{')
	i, first := jsonscan.Space(b, i+1), true
	if i < len(b) && b[i] == '}' {
		return append(dst, '}'), i + 1, true
	}
	for i < len(b) {
		keyStart := i
		keyEnd, ok := jsonscan.String(b, i)
		if !ok {
			return dst, i, false
		}
		key := b[keyStart:keyEnd]
		i = jsonscan.Space(b, keyEnd)
		if i >= len(b) || b[i] != ':' {
			return dst, i, false
		}
		i = jsonscan.Space(b, i+1)
		switch {
		case depth == 1 && string(key) == `"blocks"`:
			if i, ok = jsonscan.Value(b, i); !ok {
				return dst, i, false
			}
		case depth == 0 && (string(key) == `"view"` || string(key) == `"message"`) && i < len(b) && b[i] == '{':
			dst = member(dst, key, &first)
			if dst, i, ok = elideIn(dst, b, i, 1); !ok {
				return dst, i, false
			}
		default:
			start := i
			if i, ok = jsonscan.Value(b, i); !ok {
				return dst, i, false
			}
			dst = append(member(dst, key, &first), b[start:i]...)
		}
		i = jsonscan.Space(b, i)
		if i < len(b) && b[i] == ',' {
			i = jsonscan.Space(b, i+1)
			continue
		}
		if i < len(b) && b[i] == '}' {
			return append(dst, '}'), i + 1, true
		}
		return dst, i, false
	}
	return dst, i, false
}

// member starts a member named key in the object being written.
func member(dst, key []byte, first *bool) []byte {
	if !*first {
		dst = append(dst, ',')
	}
	*first = false
	return append(append(dst, key...), ':')
}
