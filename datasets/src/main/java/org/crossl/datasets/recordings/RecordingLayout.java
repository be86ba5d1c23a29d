package org.crossl.datasets.recordings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.crossl.api.data.DataFormatException;
import org.crossl.api.spi.ConfigException;
import org.crossl.datasets.io.TextFiles;

/**
 * A {@code layout:} pattern such as {@code subject{subject}/session{session}}: the path of a
 * recording folder below the dataset folder, one segment per {@code /}. Placeholders match a
 * non-empty part of one segment: {@code {subject}} (required; must be an integer),
 * {@code {session}} (any text; default: the folder's relative path) and {@code {*}} (anything,
 * ignored). Two placeholders must be separated by literal text. Folders at the layout's depth
 * whose path does not match are ignored; hidden folders (a segment starting with {@code .}) too.
 */
final class RecordingLayout {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");

    private final String text;
    private final Pattern regex;
    private final int depth;
    private final boolean hasSession;

    private RecordingLayout(String text, Pattern regex, int depth, boolean hasSession) {
        this.text = text;
        this.regex = regex;
        this.depth = depth;
        this.hasSession = hasSession;
    }

    /** A recording folder found by the layout. */
    record Found(Path dir, String relative, int subject, String session) {
    }

    /** The result of scanning the dataset folder. */
    record Scan(List<Found> recordings, List<String> ignored) {
    }

    /** Parses a layout; a bad one is a {@link ConfigException} on key {@code layout}. */
    static RecordingLayout parse(String layout) {
        String t = layout.strip().replace('\\', '/');
        while (t.startsWith("/")) {
            t = t.substring(1);
        }
        while (t.endsWith("/")) {
            t = t.substring(0, t.length() - 1);
        }
        if (t.isEmpty()) {
            throw new ConfigException("layout", "must name at least the {subject} folder, e.g. " + RecordingsConfig.DEFAULT_LAYOUT);
        }
        String[] segments = t.split("/", -1);
        StringBuilder re = new StringBuilder();
        int subjects = 0;
        int sessions = 0;
        for (int s = 0; s < segments.length; s++) {
            String seg = segments[s];
            if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) {
                throw new ConfigException("layout", "'" + layout + "' has an empty, '.' or '..' segment");
            }
            if (s > 0) {
                re.append('/');
            }
            Matcher m = PLACEHOLDER.matcher(seg);
            int last = 0;
            boolean previousWasPlaceholder = false;
            while (m.find()) {
                if (m.start() > last) {
                    re.append(Pattern.quote(seg.substring(last, m.start())));
                    previousWasPlaceholder = false;
                }
                if (previousWasPlaceholder) {
                    throw new ConfigException("layout", "'" + layout + "': placeholders must be separated by literal text ("
                            + seg + ")");
                }
                switch (m.group(1)) {
                    case "subject" -> {
                        subjects++;
                        re.append("(?<subject>[^/]+?)");
                    }
                    case "session" -> {
                        sessions++;
                        re.append("(?<session>[^/]+?)");
                    }
                    case "*" -> re.append("[^/]+?");
                    default -> throw new ConfigException("layout", "unknown placeholder {" + m.group(1) + "} in '" + layout
                            + "'; known: {subject}, {session}, {*}");
                }
                previousWasPlaceholder = true;
                last = m.end();
            }
            String rest = seg.substring(last);
            if (rest.indexOf('{') >= 0 || rest.indexOf('}') >= 0) {
                throw new ConfigException("layout", "unbalanced brace in '" + layout + "'");
            }
            if (!rest.isEmpty()) {
                re.append(Pattern.quote(rest));
            }
        }
        if (subjects != 1) {
            throw new ConfigException("layout", "'" + layout + "' must contain {subject} exactly once (the integer subject id), "
                    + "e.g. " + RecordingsConfig.DEFAULT_LAYOUT);
        }
        if (sessions > 1) {
            throw new ConfigException("layout", "'" + layout + "' contains {session} more than once");
        }
        return new RecordingLayout(t, Pattern.compile(re.toString()), segments.length, sessions == 1);
    }

    int depth() {
        return depth;
    }

    @Override
    public String toString() {
        return text;
    }

    /**
     * The recording folders under {@code root}, sorted by subject, then session.
     *
     * @throws DataFormatException when a matching folder's subject is not an integer
     */
    Scan scan(Path root) {
        List<Found> found = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root, depth)) {
            s.filter(p -> p.getNameCount() - root.getNameCount() == depth && Files.isDirectory(p)).forEach(p -> {
                Path rel = root.relativize(p);
                List<String> parts = new ArrayList<>();
                for (Path part : rel) {
                    parts.add(part.toString());
                }
                if (parts.stream().anyMatch(x -> x.startsWith("."))) {
                    return;
                }
                String relative = String.join("/", parts);
                Matcher m = regex.matcher(relative);
                if (!m.matches()) {
                    ignored.add(relative);
                    return;
                }
                String subject = m.group("subject");
                int id;
                try {
                    id = Integer.parseInt(subject.strip());
                } catch (NumberFormatException e) {
                    throw new DataFormatException(p + ": the subject '" + subject + "' (from layout '" + text
                            + "') is not an integer id; rename the folder, move it out of " + root + ", or list the recordings "
                            + "with recordings: [{path, subject, session}]");
                }
                found.add(new Found(p, relative, id, hasSession ? m.group("session") : relative));
            });
        } catch (IOException e) {
            throw TextFiles.failure(root, e);
        } catch (java.io.UncheckedIOException e) {
            throw TextFiles.failure(root, e);
        }
        found.sort(RecordingLayout::compare);
        ignored.sort(String::compareTo);
        return new Scan(List.copyOf(found), List.copyOf(ignored));
    }

    static int compare(Found a, Found b) {
        int c = Integer.compare(a.subject(), b.subject());
        if (c != 0) {
            return c;
        }
        c = naturalCompare(a.session(), b.session());
        return c != 0 ? c : a.relative().compareTo(b.relative());
    }

    /** Compares strings with runs of digits compared by value ({@code s2 < s10}). */
    static int naturalCompare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char x = a.charAt(i);
            char y = b.charAt(j);
            if (Character.isDigit(x) && Character.isDigit(y)) {
                int si = i;
                int sj = j;
                while (i < a.length() && Character.isDigit(a.charAt(i))) {
                    i++;
                }
                while (j < b.length() && Character.isDigit(b.charAt(j))) {
                    j++;
                }
                String na = a.substring(si, i).replaceFirst("^0+(?=.)", "");
                String nb = b.substring(sj, j).replaceFirst("^0+(?=.)", "");
                int c = na.length() != nb.length() ? Integer.compare(na.length(), nb.length()) : na.compareTo(nb);
                if (c != 0) {
                    return c;
                }
            } else {
                if (x != y) {
                    return Character.compare(x, y);
                }
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
