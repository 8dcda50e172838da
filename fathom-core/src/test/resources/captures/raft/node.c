/* A two-server canonical/raft cluster member for record.sh: bootstraps servers 1 and 2 on
 * 127.0.0.1:9001/9002 with the libuv TCP transport, and the leader applies one 8-byte command
 * each half second, so the capture holds the handshake, RequestVote, AppendEntries with and
 * without entries and their results. Exits after the given number of seconds.
 *   cc -o node node.c -lraft -luv && ./node ID DIR SECONDS */
#include <raft.h>
#include <raft/uv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

static struct raft raft;
static uv_timer_t ticker, stopper;
static unsigned long applied;

static int fsmApply(struct raft_fsm *fsm, const struct raft_buffer *buf, void **result)
{
    (void)fsm;
    (void)buf;
    applied++;
    *result = NULL;
    return 0;
}

static int fsmSnapshot(struct raft_fsm *fsm, struct raft_buffer *bufs[], unsigned *n)
{
    (void)fsm;
    *bufs = raft_malloc(sizeof **bufs);
    (*bufs)[0].len = 8;
    (*bufs)[0].base = raft_calloc(1, 8);
    *n = 1;
    return 0;
}

static int fsmRestore(struct raft_fsm *fsm, struct raft_buffer *buf)
{
    (void)fsm;
    raft_free(buf->base);
    return 0;
}

static void applyCb(struct raft_apply *req, int status, void *result)
{
    (void)status;
    (void)result;
    free(req);
}

static void tick(uv_timer_t *t)
{
    (void)t;
    if (raft_state(&raft) != RAFT_LEADER) {
        return;
    }
    struct raft_buffer buf = {.len = 8, .base = raft_malloc(8)};
    memcpy(buf.base, "fathom!\n", 8);
    struct raft_apply *req = malloc(sizeof *req);
    if (raft_apply(&raft, req, &buf, 1, applyCb) != 0) {
        raft_free(buf.base);
        free(req);
    }
}

static void stop(uv_timer_t *t)
{
    fprintf(stderr, "node %llu: state %d, applied %lu\n", (unsigned long long)raft.id, raft_state(&raft), applied);
    uv_stop(t->loop);
}

int main(int argc, char *argv[])
{
    if (argc != 4) {
        fprintf(stderr, "usage: node ID DIR SECONDS\n");
        return 2;
    }
    unsigned id = (unsigned)atoi(argv[1]);
    char address[32];
    snprintf(address, sizeof address, "127.0.0.1:900%u", id);
    uv_loop_t loop;
    uv_loop_init(&loop);
    struct raft_uv_transport transport = {0};
    struct raft_io io;
    struct raft_fsm fsm = {.version = 1, .apply = fsmApply, .snapshot = fsmSnapshot, .restore = fsmRestore};
    if (raft_uv_tcp_init(&transport, &loop) != 0 || raft_uv_init(&io, &loop, argv[2], &transport) != 0 ||
        raft_init(&raft, &io, &fsm, id, address) != 0) {
        fprintf(stderr, "init failed\n");
        return 1;
    }
    struct raft_configuration conf;
    raft_configuration_init(&conf);
    raft_configuration_add(&conf, 1, "127.0.0.1:9001", RAFT_VOTER);
    raft_configuration_add(&conf, 2, "127.0.0.1:9002", RAFT_VOTER);
    raft_bootstrap(&raft, &conf);
    raft_configuration_close(&conf);
    if (raft_start(&raft) != 0) {
        fprintf(stderr, "start failed: %s\n", raft_errmsg(&raft));
        return 1;
    }
    uv_timer_init(&loop, &ticker);
    uv_timer_start(&ticker, tick, 500, 500);
    uv_timer_init(&loop, &stopper);
    uv_timer_start(&stopper, stop, (uint64_t)atoi(argv[3]) * 1000, 0);
    uv_run(&loop, UV_RUN_DEFAULT);
    return 0;
}
