package mailbox

import "context"

type progressKey struct{}

// WithProgress returns a context whose syncs report progress to fn when
// their SyncOptions set no Progress of their own, as net/http/httptrace
// hooks ride on a request's context: a command can watch a sync that code
// it does not build the options for starts.
func WithProgress(ctx context.Context, fn func(folder string, done, total int)) context.Context {
	return context.WithValue(ctx, progressKey{}, fn)
}

func progressFrom(ctx context.Context) func(folder string, done, total int) {
	fn, _ := ctx.Value(progressKey{}).(func(folder string, done, total int))
	return fn
}
