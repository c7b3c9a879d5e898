package ser.dl4j;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.MemoryWorkspaceManager;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J workspaces (arena memory, per thread) for one training step or one inference batch. Without
 * them every temporary array is fresh native memory that is zero-filled page by page, which on
 * this kind of machine costs more than the arithmetic (measured: 15-30 ms for one 2.4 MB array);
 * inside a workspace the same memory is reused from the second step on.
 */
final class Workspaces {

    /**
     * Learns its size in the first cycle, grows (re-allocates) when a later cycle needs more. A new
     * instance each time: ND4J keeps the object it is given.
     */
    static WorkspaceConfiguration config() {
        return WorkspaceConfiguration.builder()
                .initialSize(0)
                .overallocationLimit(0.2)
                .policyAllocation(AllocationPolicy.OVERALLOCATE)
                .policyLearning(LearningPolicy.FIRST_LOOP)
                .policyReset(ResetPolicy.BLOCK_LEFT)
                .policySpill(SpillPolicy.REALLOCATE)
                .build();
    }

    private Workspaces() {
    }

    /** Opens (activates) workspace {@code id} of the current thread; close it to end the cycle. */
    static MemoryWorkspace open(String id) {
        return Nd4j.getWorkspaceManager().getAndActivateWorkspace(config(), id);
    }

    /** Leaves any active workspace, for arrays that must outlive the current cycle. */
    static MemoryWorkspace outside() {
        return Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
    }

    /** Frees workspace {@code id} of the current thread, if it exists. */
    static void destroy(String id) {
        MemoryWorkspaceManager manager = Nd4j.getWorkspaceManager();
        if (manager.checkIfWorkspaceExists(id)) {
            MemoryWorkspace ws = manager.getWorkspaceForCurrentThread(id);
            if (ws != null && !ws.isScopeActive()) {
                manager.destroyWorkspace(ws);
            }
        }
    }
}
