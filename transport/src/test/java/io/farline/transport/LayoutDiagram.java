package io.farline.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Reads the ASCII layout diagram in a descriptor's Javadoc and checks it against the descriptor's constants
 * (STYLE 13): the fields appear in the table's order, each fixed-size box has one 32-bit row per 4 bytes of the
 * field's width, boxes marked {@code ...} are padding or variable sections, no fields overlap, atomic fields are
 * naturally aligned, and fields with different writers sit in different 128-byte slots.
 */
public final class LayoutDiagram
{
    /**
     * A row of the expected layout.
     *
     * @param name   the field's name as the diagram writes it.
     * @param offset the descriptor's offset constant.
     * @param width  the field's width in bytes, or -1 for a variable section.
     * @param writer who writes it (fields of different writers must not share a 128-byte slot).
     * @param atomic true if it is accessed with an ordered or atomic operation (must be naturally aligned).
     */
    public record Field(String name, int offset, int width, String writer, boolean atomic)
    {
    }

    private record Box(String name, int rows, boolean variable)
    {
    }

    private LayoutDiagram()
    {
    }

    /**
     * @param descriptorSource path of the descriptor's source, relative to the module directory.
     * @param fields           the expected layout in order.
     */
    public static void check(final String descriptorSource, final List<Field> fields)
    {
        final List<Box> boxes = parse(Paths.get(descriptorSource));
        final List<Box> named = new ArrayList<>();
        for (final Box box : boxes)
        {
            if (!box.name().startsWith("Padding"))
            {
                named.add(box);
            }
        }
        assertEquals(fields.stream().map(Field::name).toList(), named.stream().map(Box::name).toList(),
            "diagram fields and table disagree in names or order");

        int running = 0;
        int fieldIndex = 0;
        for (final Box box : boxes)
        {
            if (box.name().startsWith("Padding"))
            {
                assertTrue(box.variable(), "padding box must be marked '...': " + box);
                running = -1; // the next field may start anywhere at or after here
                continue;
            }
            final Field field = fields.get(fieldIndex++);
            if (running >= 0)
            {
                assertEquals(running, field.offset(), field.name() + " offset: diagram places it right after the " +
                    "previous field");
            }
            if (field.width() > 0)
            {
                assertEquals(field.width(), box.rows() * 4, field.name() + " width: diagram rows x 4 bytes");
                assertTrue(!box.variable(), field.name() + " has a fixed width but its box is marked '...'");
                running = field.offset() + field.width();
            }
            else
            {
                assertTrue(box.variable(), field.name() + " is variable but its box is not marked '...'");
                running = -1;
            }
        }

        for (int i = 1; i < fields.size(); i++)
        {
            final Field previous = fields.get(i - 1);
            final Field field = fields.get(i);
            if (previous.width() > 0)
            {
                assertTrue(previous.offset() + previous.width() <= field.offset(),
                    previous.name() + " overlaps " + field.name());
            }
        }
        for (final Field field : fields)
        {
            if (field.atomic())
            {
                assertEquals(0, field.offset() % field.width(), field.name() + " is not naturally aligned");
            }
            for (final Field other : fields)
            {
                if (field.width() > 0 && other.width() > 0 && !field.writer().equals(other.writer()) &&
                    field.offset() / 128 == other.offset() / 128)
                {
                    fail(field.name() + " (written by " + field.writer() + ") shares a 128-byte slot with " +
                        other.name() + " (written by " + other.writer() + ")");
                }
            }
        }
    }

    private static List<Box> parse(final Path source)
    {
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(source);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        final List<Box> boxes = new ArrayList<>();
        boolean inDiagram = false;
        String name = null;
        int rows = 0;
        boolean variable = false;
        for (final String raw : lines)
        {
            final String line = raw.replaceFirst("^\\s*\\*", "").trim();
            if (line.equals("<pre>"))
            {
                inDiagram = true;
                continue;
            }
            if (!inDiagram)
            {
                continue;
            }
            if (line.equals("</pre>"))
            {
                break;
            }
            if (line.startsWith("+-"))
            {
                if (null != name)
                {
                    boxes.add(new Box(name, rows, variable));
                }
                name = null;
                rows = 0;
                variable = false;
            }
            else if (line.startsWith("|"))
            {
                rows++;
                final String text = line.replace("|", "").trim();
                if (text.endsWith("..."))
                {
                    variable = true;
                }
                final String label = text.replace("...", "").trim();
                if (null == name && !label.isEmpty())
                {
                    name = label.contains(":") ? label.substring(0, label.indexOf(':')) : label;
                    name = name.contains("(") ? name.substring(0, name.indexOf('(')).trim() : name;
                }
            }
        }
        if (boxes.isEmpty())
        {
            fail("no <pre> diagram in " + source);
        }
        return boxes;
    }
}
