package dev.meterstream.loadtest.measure;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CpuSamplerTest {
    @Test
    void shouldFindTheJitCompilersTimeInThisJvm() {
        // The test JVM has compiled its start-up and JUnit by now: HotSpot's compiler threads have used CPU.
        final long pid = ProcessHandle.current().pid();
        final double compilers = CpuSampler.compilerSeconds(pid);
        assertTrue(compilers > 0, "compiler threads' CPU: " + compilers);
        assertTrue(compilers <= CpuSampler.cpuSeconds(pid).orElseThrow(), "a part of the process's CPU");
    }
}
