package slackapp

// Exported for the external tests.
var (
	DecodeInteraction = decodeInteraction
	ScanForm          = func(body []byte) (payload []byte, hasPayload, hasCommand, sslCheck bool, err error) {
		f, err := scanForm(body)
		if f.hasPayload {
			payload, _ = unescape(nil, f.payload)
		}
		return payload, f.hasPayload, f.hasCommand, f.sslCheckIs1(), err
	}
)
