package io.farline.property.harness;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PropertyRunnerTest
{
    private static final long SEED = 0x5EEDL;

    /** An action on a stack: push a value, or pop and compare. */
    private record StackOp(boolean push, int value)
    {
        static StackOp push(final int value)
        {
            return new StackOp(true, value);
        }

        static StackOp pop()
        {
            return new StackOp(false, 0);
        }

        List<StackOp> simpler()
        {
            final List<StackOp> simpler = new ArrayList<>();
            for (final int v : Simplifier.towards(value, 0))
            {
                simpler.add(new StackOp(push, v));
            }
            return simpler;
        }

        @Override
        public String toString()
        {
            return push ? "push(" + value + ")" : "pop()";
        }
    }

    /** The planted bug: a push of a value above 1000 onto a stack of two or more is lost. */
    private static final class BuggyStack
    {
        private final Deque<Integer> values = new ArrayDeque<>();

        void push(final int value)
        {
            if (values.size() < 2 || value <= 1000)
            {
                values.push(value);
            }
        }

        Integer pop()
        {
            return values.poll();
        }
    }

    private static final Gen<StackOp> STACK_OPS = random -> random.nextInt(10) < 7 ?
        StackOp.push(random.nextInt(0, 5000)) : StackOp.pop();

    private static final Property<StackOp> STACK_AGREES_WITH_MODEL = actions ->
    {
        final BuggyStack stack = new BuggyStack();
        final Deque<Integer> model = new ArrayDeque<>();
        for (final StackOp op : actions)
        {
            if (op.push())
            {
                stack.push(op.value());
                model.push(op.value());
            }
            else
            {
                final Integer expected = model.poll();
                final Integer actual = stack.pop();
                if (!Objects.equals(expected, actual))
                {
                    throw new AssertionError("pop returned " + actual + ", model says " + expected);
                }
            }
        }
    };

    @Test
    void shouldShrinkPlantedBugToMinimalSequenceWhenPropertyFails()
    {
        final PropertyResult<StackOp> result = PropertyRunner.forAll(Gen.listOf(STACK_OPS, 1, 40))
            .simplifiedBy(StackOp::simpler).trials(200).seed(SEED).run(STACK_AGREES_WITH_MODEL);

        assertFalse(result.passed(), "the planted bug is found");
        assertEquals(List.of(StackOp.push(0), StackOp.push(0), StackOp.push(1001), StackOp.pop()), result.shrunk());
        assertTrue(result.original().size() >= result.shrunk().size());
        assertInstanceOf(AssertionError.class, result.failure());
        assertEquals("pop returned 0, model says 1001", result.failure().getMessage());
    }

    @Test
    void shouldReportReplayableSeedAndShrunkActionsWhenPropertyFails()
    {
        final PropertyResult<StackOp> result = PropertyRunner.forAll(Gen.listOf(STACK_OPS, 1, 40))
            .simplifiedBy(StackOp::simpler).trials(200).seed(SEED).run(STACK_AGREES_WITH_MODEL);

        final String report = result.report();
        assertTrue(report.contains("-Dfarline.seed=" + result.trialSeed() + " -Dfarline.trials=1"), report);
        assertTrue(report.contains(
            "-Dtest='PropertyRunnerTest#shouldReportReplayableSeedAndShrunkActionsWhenPropertyFails'"), report);
        assertTrue(report.contains("1. push(0)") && report.contains("3. push(1001)") && report.contains("4. pop()"),
            report);
        final AssertionError error = assertThrows(AssertionError.class, result::assertPassed);
        assertEquals(report, error.getMessage());
        assertEquals(result.failure(), error.getCause());
    }

    @Test
    void shouldNameTheCallingTestMethodInTheReplayCommandWhenThePropertyHasADisplayName()
    {
        final PropertyResult<StackOp> result = PropertyRunner.forAll(Gen.listOf(STACK_OPS, 1, 40))
            .named("stack 1+1").simplifiedBy(StackOp::simpler).trials(200).seed(SEED).run(STACK_AGREES_WITH_MODEL);

        final String report = result.report();
        assertTrue(report.startsWith("Property stack 1+1 failed"), report);
        assertTrue(report.contains("-Dtest='PropertyRunnerTest#" +
            "shouldNameTheCallingTestMethodInTheReplayCommandWhenThePropertyHasADisplayName'"), report);
    }

    @Test
    void shouldReplaySameSequenceWhenSeedIsTheSame()
    {
        final Gen<List<StackOp>> gen = Gen.listOf(STACK_OPS, 1, 40);
        assertEquals(gen.next(new SplittableRandom(42)), gen.next(new SplittableRandom(42)));

        final PropertyResult<StackOp> first = PropertyRunner.forAll(gen)
            .simplifiedBy(StackOp::simpler).trials(200).seed(SEED).run(STACK_AGREES_WITH_MODEL);
        final PropertyResult<StackOp> second = PropertyRunner.forAll(gen)
            .simplifiedBy(StackOp::simpler).trials(200).seed(SEED).run(STACK_AGREES_WITH_MODEL);
        assertEquals(first.failingTrial(), second.failingTrial());
        assertEquals(first.original(), second.original());
        assertEquals(first.shrunk(), second.shrunk());

        final PropertyResult<StackOp> replay = PropertyRunner.forAll(gen)
            .simplifiedBy(StackOp::simpler).trials(1).seed(first.trialSeed()).run(STACK_AGREES_WITH_MODEL);
        assertEquals(0, replay.failingTrial(), "the trial seed replays the failing trial as trial 0");
        assertEquals(first.original(), replay.original());
        assertEquals(first.shrunk(), replay.shrunk());
    }

    @Test
    void shouldPassAndRunEveryTrialWhenPropertyHolds()
    {
        final int[] runs = new int[1];
        final PropertyResult<StackOp> result = PropertyRunner.forAll(Gen.listOf(STACK_OPS, 0, 5))
            .trials(37).seed(SEED).run(actions -> runs[0]++);

        assertTrue(result.passed());
        assertEquals(37, runs[0]);
        assertTrue(result.report().contains("37 trials passed (base seed " + SEED), result.report());
    }

    @Test
    void shouldDeriveDistinctTrialSeedsWhenTrialOrBaseSeedDiffers()
    {
        assertEquals(SEED, PropertyRunner.trialSeed(SEED, 0));
        assertFalse(PropertyRunner.trialSeed(SEED, 1) == PropertyRunner.trialSeed(SEED, 2));
        assertFalse(PropertyRunner.trialSeed(SEED, 1) == PropertyRunner.trialSeed(SEED + 1, 1));
    }
}
