package mailbox

import (
	"runtime"
	"sync"
)

// pipeline parses fetched messages on every core while the reader goes on
// reading the stream, and hands the results to one collector in the order
// the messages were read, so the cursor still advances in UID order and a
// batch is stored only once every message before it is handled.
//
// Memory is bounded: at most depth messages are between the reader and the
// collector; the reader waits when they are all taken.
type pipeline[In, Out any] struct {
	jobs  chan *job[In, Out]
	order chan *job[In, Out]
	work  sync.WaitGroup
	done  chan struct{}
}

type job[In, Out any] struct {
	in    In
	out   Out
	ready chan struct{}
}

// newPipeline starts workers running fn and one collector calling sink for
// each result, in submission order. workers <= 0 means one per core.
func newPipeline[In, Out any](workers, depth int, fn func(In) Out, sink func(In, Out)) *pipeline[In, Out] {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	depth = max(depth, workers)
	p := &pipeline[In, Out]{
		jobs:  make(chan *job[In, Out], depth),
		order: make(chan *job[In, Out], depth),
		done:  make(chan struct{}),
	}
	p.work.Add(workers)
	for range workers {
		go func() {
			defer p.work.Done()
			for j := range p.jobs {
				j.out = fn(j.in)
				close(j.ready)
			}
		}()
	}
	go func() {
		defer close(p.done)
		for j := range p.order {
			<-j.ready
			sink(j.in, j.out)
		}
	}()
	return p
}

// submit queues in; it blocks while depth messages are in flight.
func (p *pipeline[In, Out]) submit(in In) {
	j := &job[In, Out]{in: in, ready: make(chan struct{})}
	p.order <- j
	p.jobs <- j
}

// close waits until every submitted message has reached the sink.
func (p *pipeline[In, Out]) close() {
	close(p.order)
	close(p.jobs)
	<-p.done
	p.work.Wait()
}
