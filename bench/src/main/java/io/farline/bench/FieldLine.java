package io.farline.bench;

import java.util.HashMap;
import java.util.Map;

/**
 * A line of results a child JVM prints for the runner: a prefix word, then {@code name=value} fields separated by
 * spaces. Parsing checks the prefix and every field, and names what is wrong.
 */
final class FieldLine
{
    private final String line;
    private final Map<String, String> fields;

    private FieldLine(final String line, final Map<String, String> fields)
    {
        this.line = line;
        this.fields = fields;
    }

    /**
     * @param prefix what the line must start with.
     * @param line   the line.
     * @return its fields.
     * @throws IllegalArgumentException if it does not start with {@code prefix}, or a field is not name=value.
     */
    static FieldLine parse(final String prefix, final String line)
    {
        final String[] words = line.trim().split("\\s+");
        if (words.length == 0 || !prefix.equals(words[0]))
        {
            throw new IllegalArgumentException("not a line of " + prefix + ": '" + line + "'");
        }
        final Map<String, String> fields = new HashMap<>();
        for (int i = 1; i < words.length; i++)
        {
            final int equals = words[i].indexOf('=');
            if (equals <= 0)
            {
                throw new IllegalArgumentException("field '" + words[i] + "' is not name=value in '" + line + "'");
            }
            fields.put(words[i].substring(0, equals), words[i].substring(equals + 1));
        }
        return new FieldLine(line, fields);
    }

    /**
     * @return the field's text.
     * @throws IllegalArgumentException if the line has no such field.
     */
    String text(final String name)
    {
        final String value = fields.get(name);
        if (null == value)
        {
            throw new IllegalArgumentException("no " + name + "= in '" + line + "'");
        }
        return value;
    }

    /**
     * @return the field as a long.
     * @throws IllegalArgumentException if it is missing or not a number.
     */
    long longValue(final String name)
    {
        try
        {
            return Long.parseLong(text(name));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(name + " in '" + line + "' is not a number: " + ex.getMessage(), ex);
        }
    }

    /**
     * @return the field as a double.
     * @throws IllegalArgumentException if it is missing or not a number.
     */
    double doubleValue(final String name)
    {
        try
        {
            return Double.parseDouble(text(name));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(name + " in '" + line + "' is not a number: " + ex.getMessage(), ex);
        }
    }
}
