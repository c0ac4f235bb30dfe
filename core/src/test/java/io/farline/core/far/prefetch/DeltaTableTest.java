package io.farline.core.far.prefetch;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class DeltaTableTest
{
    @Test
    void shouldFindNothingWhenEmpty()
    {
        final DeltaTable table = new DeltaTable(16);
        assertEquals(DeltaTable.NOT_FOUND, table.find(0, 0));
        assertEquals(DeltaTable.NOT_FOUND, table.find(1, 3));
    }

    @Test
    void shouldRecordAContextWithConfidenceOneWhenFirstSeen()
    {
        final DeltaTable table = new DeltaTable(16);
        table.update(1, 3, 1);
        final int slot = table.find(1, 3);
        assertNotEquals(DeltaTable.NOT_FOUND, slot);
        assertEquals(1, table.nextDelta(slot));
        assertEquals(1, table.confidence(slot));
        assertEquals(DeltaTable.NOT_FOUND, table.find(3, 1));
    }

    @Test
    void shouldSaturateConfidenceWhenTheSameDeltaKeepsFollowing()
    {
        final DeltaTable table = new DeltaTable(16);
        for (int i = 0; i < 10; i++)
        {
            table.update(-7, -7, -7);
        }
        assertEquals(DeltaTable.MAX_CONFIDENCE, table.confidence(table.find(-7, -7)));
    }

    @Test
    void shouldWeakenBeforeReplacingWhenAConfirmedPredictionIsContradicted()
    {
        final DeltaTable table = new DeltaTable(16);
        for (int i = 0; i < 3; i++)
        {
            table.update(2, 2, 2);
        }
        table.update(2, 2, 5);
        assertEquals(2, table.nextDelta(table.find(2, 2)));
        assertEquals(2, table.confidence(table.find(2, 2)));
        table.update(2, 2, 5);
        assertEquals(2, table.nextDelta(table.find(2, 2)));
        assertEquals(1, table.confidence(table.find(2, 2)));
        table.update(2, 2, 5);
        assertEquals(5, table.nextDelta(table.find(2, 2)));
        assertEquals(1, table.confidence(table.find(2, 2)));
    }

    @Test
    void shouldOverwriteAWeakEntryWhenTheWindowIsFull()
    {
        // A table of one probe window: every context competes for the same four slots.
        final DeltaTable table = new DeltaTable(DeltaTable.PROBE_LENGTH);
        for (int context = 1; context <= 4; context++)
        {
            table.update(context, context, 1);
        }
        table.update(9, 9, 1);
        assertNotEquals(DeltaTable.NOT_FOUND, table.find(9, 9));
        assertEquals(3, countFound(table, 1, 4));
    }

    @Test
    void shouldAgeRatherThanEvictConfirmedEntriesWhenTheWindowIsFull()
    {
        final DeltaTable table = new DeltaTable(DeltaTable.PROBE_LENGTH);
        for (int context = 1; context <= 4; context++)
        {
            table.update(context, context, 1);
            table.update(context, context, 1);
        }
        table.update(9, 9, 1);
        assertEquals(DeltaTable.NOT_FOUND, table.find(9, 9));
        assertEquals(4, countFound(table, 1, 4));

        // The aged entry is weak now, so the same newcomer gets in the second time.
        table.update(9, 9, 1);
        assertNotEquals(DeltaTable.NOT_FOUND, table.find(9, 9));
        assertEquals(3, countFound(table, 1, 4));
    }

    private static int countFound(final DeltaTable table, final int from, final int to)
    {
        int found = 0;
        for (int context = from; context <= to; context++)
        {
            found += DeltaTable.NOT_FOUND == table.find(context, context) ? 0 : 1;
        }
        return found;
    }
}
