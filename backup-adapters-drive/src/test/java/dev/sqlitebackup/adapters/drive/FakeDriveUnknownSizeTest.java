package dev.sqlitebackup.adapters.drive;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * FakeDrive speaks Drive's resumable upload of a size not known in advance, request by request: no
 * X-Upload-Content-Length, chunks of {@code bytes a-b/*} in multiples of 256 KiB, {@code bytes *}{@code /*} to ask
 * how far it got, and a last chunk that states the total; and {@code or} with parentheses in queries.
 */
class FakeDriveUnknownSizeTest {

    private static final int GRANULE = FakeDrive.CHUNK_GRANULARITY;
    private final HttpClient http = HttpClient.newHttpClient();
    private FakeDrive fake;
    private String token;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeDrive();
        String form = "grant_type=refresh_token&client_id=" + enc(FakeDrive.CLIENT_ID) + "&client_secret="
                + enc(fake.clientSecret) + "&refresh_token=" + enc(fake.refreshToken);
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(fake.tokenUri())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        token = JsonParser.parseString(answer.body()).getAsJsonObject().get("access_token").getAsString();
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private HttpResponse<String> put(URI session, String range, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(session).header("Authorization", "Bearer " + token)
                .header("Content-Range", range).PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI session() throws Exception {
        HttpResponse<String> started = http.send(HttpRequest.newBuilder(fake.rootUrl().resolve(
                "upload/drive/v3/files?uploadType=resumable&fields=id,name,size,md5Checksum"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .header("X-Upload-Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"streamed.bin\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(started.statusCode()).isEqualTo(200);
        return URI.create(started.headers().firstValue("Location").orElseThrow());
    }

    @Test
    void anUploadOfUnknownSize_takesChunksOfStar_andEndsWithTheTotal() throws Exception {
        URI session = session();
        byte[] first = new byte[2 * GRANULE];
        first[7] = 7;

        HttpResponse<String> one = put(session, "bytes 0-" + (2 * GRANULE - 1) + "/*", first);
        HttpResponse<String> status = put(session, "bytes */*", new byte[0]);
        HttpResponse<String> ragged = put(session, "bytes " + 2 * GRANULE + "-" + (2 * GRANULE + 9) + "/*",
                new byte[10]);
        HttpResponse<String> last = put(session, "bytes " + 2 * GRANULE + "-" + (2 * GRANULE + 9) + "/"
                + (2 * GRANULE + 10), new byte[10]);

        assertThat(one.statusCode()).isEqualTo(308);
        assertThat(one.headers().firstValue("Range")).contains("bytes=0-" + (2 * GRANULE - 1));
        assertThat(status.statusCode()).isEqualTo(308);
        assertThat(status.headers().firstValue("Range")).contains("bytes=0-" + (2 * GRANULE - 1));
        assertThat(ragged.statusCode()).as("only the last chunk may be other than 256 KiB multiples").isEqualTo(400);
        assertThat(last.statusCode()).isEqualTo(200);
        JsonObject file = JsonParser.parseString(last.body()).getAsJsonObject();
        assertThat(file.get("size").getAsString()).isEqualTo(Integer.toString(2 * GRANULE + 10));
        FakeDrive.FakeFile stored = fake.named("streamed.bin").get(0);
        assertThat(stored.content).as("kept in memory, grown as it came").hasSize(2 * GRANULE + 10);
        assertThat(stored.content[7]).isEqualTo((byte) 7);
    }

    @Test
    void aChunkThatStatesATotalItDoesNotReach_andALaterOtherTotal_areRefused() throws Exception {
        URI session = session();

        HttpResponse<String> stated = put(session, "bytes 0-" + (GRANULE - 1) + "/" + 3 * GRANULE, new byte[GRANULE]);
        HttpResponse<String> changed = put(session, "bytes " + GRANULE + "-" + (2 * GRANULE - 1) + "/*",
                new byte[GRANULE]);

        assertThat(stated.statusCode()).isEqualTo(308);
        assertThat(changed.statusCode()).as("the total, once stated, stays").isEqualTo(400);
        assertThat(fake.named("streamed.bin")).isEmpty();
    }

    @Test
    void queries_takeOrAndParentheses_withAndBindingTighter() throws Exception {
        String folder = fake.put("f", DriveRemoteBackupStore.FOLDER_MIME, FakeDrive.ROOT_ID, Map.of(),
                null).id;
        fake.put("a.db", "x/y", folder, Map.of(), new byte[] {1});
        fake.put("b.db", "x/y", folder, Map.of(), new byte[] {2});
        fake.put("a.db", "x/y", FakeDrive.ROOT_ID, Map.of(), new byte[] {3});

        String grouped = "(name = 'a.db' or name = 'b.db') and '" + folder + "' in parents";
        String loose = "name = 'b.db' or name = 'a.db' and '" + folder + "' in parents";

        assertThat(names(grouped)).containsExactlyInAnyOrder("a.db", "b.db");
        assertThat(names(loose)).as("b.db anywhere, a.db in the folder").containsExactlyInAnyOrder("a.db", "b.db");
        assertThat(count(loose)).isEqualTo(2);
        assertThat(count("name = 'a.db' or name = 'b.db'")).isEqualTo(3);
        assertThat(list("(name = 'a.db'").statusCode()).isEqualTo(400);
    }

    private HttpResponse<String> list(String q) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(fake.rootUrl().resolve("drive/v3/files?fields=files(id,name)&q="
                + enc(q).replace("+", "%20"))).header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private List<String> names(String q) throws IOException, InterruptedException {
        List<String> names = new ArrayList<>();
        JsonParser.parseString(list(q).body()).getAsJsonObject().getAsJsonArray("files")
                .forEach(f -> names.add(f.getAsJsonObject().get("name").getAsString()));
        return names;
    }

    private int count(String q) throws IOException, InterruptedException {
        return names(q).size();
    }
}
