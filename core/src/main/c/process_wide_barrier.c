/*
 * JNI half of io.farline.core.internal.ProcessWideBarrier: the Linux membarrier(2) system call, which makes every
 * running thread of this process execute a full memory barrier before it returns. Dirty tracking uses it so that
 * writers need no fence on their fast path (see ProcessWideBarrier's Javadoc for the argument).
 *
 * Both functions return 0 on success, a positive errno on failure, or -1 when the kernel lacks the command.
 */
#include <jni.h>
#include <errno.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/membarrier.h>

static long membarrier(int cmd)
{
    return syscall(__NR_membarrier, cmd, 0);
}

JNIEXPORT jint JNICALL Java_io_farline_core_internal_ProcessWideBarrier_register0(JNIEnv *env, jclass cls)
{
    (void)env;
    (void)cls;
    long supported = membarrier(MEMBARRIER_CMD_QUERY);
    if (supported < 0)
    {
        return errno;
    }
    if ((supported & MEMBARRIER_CMD_PRIVATE_EXPEDITED) == 0)
    {
        return -1;
    }
    return membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) == 0 ? 0 : errno;
}

JNIEXPORT jint JNICALL Java_io_farline_core_internal_ProcessWideBarrier_run0(JNIEnv *env, jclass cls)
{
    (void)env;
    (void)cls;
    return membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED) == 0 ? 0 : errno;
}
