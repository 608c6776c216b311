package briefings

import (
	"fmt"
	"strconv"
	"strings"
)

// appendFormat appends pattern formatted with args to dst, as fmt.Sprintf would for
// the verbs the briefing strings use: %s (strings) and %d (ints), plain or indexed
// (%[2]s), and %%. Anything else goes to fmt.Sprintf. Briefings format thousands of
// items; doing it here, into a reused buffer, saves fmt's generality and allocations
// (args do not escape).
func appendFormat(dst []byte, pattern string, args ...any) []byte {
	start, next := len(dst), 0
	for i := 0; i < len(pattern); i++ {
		c := pattern[i]
		if c != '%' {
			dst = append(dst, c)
			continue
		}
		i++
		if i < len(pattern) && pattern[i] == '%' {
			dst = append(dst, '%')
			continue
		}
		arg := next
		if i+3 < len(pattern) && pattern[i] == '[' && pattern[i+2] == ']' && pattern[i+1] >= '1' && pattern[i+1] <= '9' {
			arg = int(pattern[i+1] - '1')
			i += 3
		}
		if i >= len(pattern) || arg >= len(args) {
			return sprintf(dst[:start], pattern, args)
		}
		switch v := args[arg].(type) {
		case string:
			if pattern[i] != 's' {
				return sprintf(dst[:start], pattern, args)
			}
			dst = append(dst, v...)
		case int:
			if pattern[i] != 'd' {
				return sprintf(dst[:start], pattern, args)
			}
			dst = strconv.AppendInt(dst, int64(v), 10)
		default:
			return sprintf(dst[:start], pattern, args)
		}
		next = arg + 1
	}
	return dst
}

// sprintf is the fallback of appendFormat: fmt on copies of the strings and ints, so
// that args do not escape; other values (which the briefing strings never take) are
// shown as "?".
func sprintf(dst []byte, pattern string, args []any) []byte {
	c := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case string:
			c[i] = strings.Clone(v)
		case int:
			c[i] = v
		default:
			c[i] = "?"
		}
	}
	return fmt.Appendf(dst, pattern, c...)
}
