package ser.pipeline.model;

import ser.pipeline.train.CentroidModelProvider;
import ser.pipeline.evaluate.Evaluator;
import ser.pipeline.util.StagedDir;
import ser.pipeline.train.SyntheticFeatures;
import ser.pipeline.train.TestSupport;
import ser.pipeline.train.TrainJob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.pipeline.BadInputException;
import ser.pipeline.report.Json;

/** Every way a bundle can be unusable gives one line naming the folder and the problem. */
class ModelBundleTest {

    @TempDir
    static Path shared;

    static Path trained;
    static SyntheticFeatures features;

    @TempDir
    Path tmp;

    @BeforeAll
    static void train() {
        features = SyntheticFeatures.builder().speakers(6).perEmotion(2).build();
        trained = shared.resolve("model");
        TrainJob.run(TestSupport.trainer(TestSupport.config("ser.train.epochs = 3"), TestSupport.sink(new StringWriter())),
                features, trained, TestSupport.sink(new StringWriter()));
    }

    private Path copy() throws IOException {
        Path dest = tmp.resolve("copy");
        try (Stream<Path> walk = Files.walk(trained)) {
            for (Path p : walk.toList()) {
                Path target = dest.resolve(trained.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return dest;
    }

    private static BadInputException openFails(Path dir) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(
                () -> ModelBundle.open(dir, new CentroidModelProvider(), TestSupport.config()).close());
        assertThat(t).isInstanceOf(BadInputException.class);
        assertThat(t.getMessage()).startsWith(dir.toString() + ": ").doesNotContain("\n");
        return (BadInputException) t;
    }

    @Test
    void opensAGoodBundle() throws IOException {
        try (ModelBundle b = ModelBundle.open(copy(), new CentroidModelProvider(), TestSupport.config())) {
            assertThat(b.info().backend()).isEqualTo("test-centroid");
            assertThat(b.model().backend()).isEqualTo("test-centroid");
            assertThat(b.info().normalization().mode()).isEqualTo(ser.pipeline.normalize.Normalization.SPEAKER);
            assertThat(b.info().normalization().fallback().width()).isEqualTo(b.info().featureCount());
        }
    }

    @Test
    void aBundleWithoutNormalizationReadsAsOff() throws IOException {
        Path dir = copy();
        Path json = dir.resolve(ModelBundle.BUNDLE_JSON);
        com.fasterxml.jackson.databind.node.ObjectNode root = (com.fasterxml.jackson.databind.node.ObjectNode)
                ser.pipeline.report.Json.MAPPER.readTree(json.toFile());
        root.remove("normalization");
        ser.pipeline.report.Json.write(json, root);
        assertThat(ModelBundle.readInfo(dir).normalization()).isEqualTo(BundleInfo.NormalizationInfo.OFF);
    }

    @Test
    void missingFolderOrBundleJson() throws IOException {
        assertThat(openFails(tmp.resolve("nowhere")).problem()).isEqualTo("no such model folder");
        Path dir = copy();
        Files.delete(dir.resolve("bundle.json"));
        assertThat(openFails(dir).problem()).isEqualTo("not a model bundle: no bundle.json");
    }

    @Test
    void truncatedOrForeignBundleJson() throws IOException {
        Path dir = copy();
        String text = Files.readString(dir.resolve("bundle.json"));
        Files.writeString(dir.resolve("bundle.json"), text.substring(0, text.length() / 2));
        assertThat(openFails(dir).problem()).startsWith("bundle.json is not valid JSON");
        Files.writeString(dir.resolve("bundle.json"), "{\"format\": \"something-else\"}");
        assertThat(openFails(dir).problem()).contains("not a ser model bundle");
    }

    @Test
    void missingField() throws IOException {
        Path dir = copy();
        ObjectNode root = (ObjectNode) Json.MAPPER.readTree(dir.resolve("bundle.json").toFile());
        root.remove("scaler");
        Json.write(dir.resolve("bundle.json"), root);
        assertThat(openFails(dir).problem()).isEqualTo("bundle.json: missing field 'scaler'");
    }

    @Test
    void newerFormatVersion() throws IOException {
        Path dir = copy();
        ObjectNode root = (ObjectNode) Json.MAPPER.readTree(dir.resolve("bundle.json").toFile());
        root.put("format_version", ModelBundle.FORMAT_VERSION + 1);
        root.put("something_new", true);
        Json.write(dir.resolve("bundle.json"), root);
        assertThat(openFails(dir).problem()).isEqualTo("bundle format version " + (ModelBundle.FORMAT_VERSION + 1)
                + " is newer than this ser reads (" + ModelBundle.FORMAT_VERSION + "); use a newer ser");
    }

    @Test
    void missingWeights() throws IOException {
        Path dir = copy();
        StagedDir.deleteTree(dir.resolve("weights"));
        assertThat(openFails(dir).problem()).isEqualTo("no weights/ folder (incomplete bundle)");
        Files.createDirectories(dir.resolve("weights"));
        assertThat(openFails(dir).problem()).contains("weights/model.safetensors is missing");
    }

    @Test
    void truncatedWeights() throws IOException {
        Path dir = copy();
        Path file = dir.resolve("weights/model.safetensors");
        long size = Files.size(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size - 10);
        }
        assertThat(openFails(dir).problem()).isEqualTo("weights/model.safetensors is truncated (" + (size - 10) + " of " + size + " bytes)");
    }

    @Test
    void corruptWeights() throws IOException {
        Path dir = copy();
        Path file = dir.resolve("weights/model.safetensors");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 3] ^= 0x55;
        Files.write(file, bytes);
        assertThat(openFails(dir).problem()).isEqualTo("weights/model.safetensors is corrupt (SHA-256 differs from bundle.json)");
    }

    @Test
    void anotherBackendLoadsTheSameWeights() throws IOException {
        Path dir = copy();
        try (ModelBundle own = ModelBundle.open(dir, new CentroidModelProvider(), TestSupport.config());
                ModelBundle other = ModelBundle.open(dir, new CentroidModelProvider.Other(), TestSupport.config())) {
            assertThat(other.model().backend()).isEqualTo("test-other");
            assertThat(other.model().parameters().get("out.weight")).containsExactly(own.model().parameters().get("out.weight"));
        }
    }

    @Test
    void formatOneBundlesAreRefusedNamingTheirWeightsFile() throws IOException {
        Path dir = copy();
        ObjectNode root = (ObjectNode) Json.MAPPER.readTree(dir.resolve("bundle.json").toFile());
        root.put("format_version", 1);
        ObjectNode files = (ObjectNode) root.at("/weights/files");
        files.set("djl-weights.bin", files.remove("model.safetensors"));
        Json.write(dir.resolve("bundle.json"), root);
        assertThat(openFails(dir).problem()).isEqualTo("bundle format 1 keeps backend-specific weights (weights/djl-weights.bin),"
                + " which this ser no longer reads; retrain the model (weights are now weights/model.safetensors)");
    }

    @Test
    void weightsOfAnotherArchitectureAreRefusedNamingTheFile() throws IOException {
        Path dir = copy();
        Path file = dir.resolve("weights/model.safetensors");
        SafeTensors.write(file, Map.of("out.weight", new SafeTensors.Tensor(new long[] {2, 3}, new float[6])), Map.of());
        ObjectNode root = (ObjectNode) Json.MAPPER.readTree(dir.resolve("bundle.json").toFile());
        ((ObjectNode) root.at("/weights/files/model.safetensors")).put("bytes", Files.size(file))
                .put("sha256", ModelBundle.sha256(file));
        Json.write(dir.resolve("bundle.json"), root);
        assertThat(openFails(dir).problem()).startsWith("backend test-centroid cannot load the weights: "
                + "weights/model.safetensors: parameters do not match the architecture; missing [out.bias]");
    }

    @Test
    void backendNotInstalled() throws IOException {
        Path dir = copy();
        var registry = ser.pipeline.plugins.PluginRegistry.discover(getClass().getClassLoader(), null);
        assertThat(registry.backends()).containsKey("test-centroid").containsKey("test-other");
        ObjectNode root = (ObjectNode) Json.MAPPER.readTree(dir.resolve("bundle.json").toFile());
        root.put("backend", "gone");
        Json.write(dir.resolve("bundle.json"), root);
        assertThatThrownBy(() -> ModelBundle.open(dir, registry, TestSupport.config())).isInstanceOf(BadInputException.class)
                .hasMessageContaining("trained with backend 'gone', which is not installed (installed: ")
                .hasMessageContaining("test-centroid");
    }

    @Test
    void evaluateRefusesFeaturesOfAnotherSchemaNamingBothHashes() throws IOException {
        SyntheticFeatures other = SyntheticFeatures.builder().speakers(6).perEmotion(2).extractorSettings("{\"n\":2}").build();
        assertThat(other.schema().hash()).isNotEqualTo(features.schema().hash());
        try (ModelBundle b = ModelBundle.open(copy(), new CentroidModelProvider(), TestSupport.config())) {
            assertThatThrownBy(() -> Evaluator.run(b, other, Path.of("feats"), Evaluator.Subset.ALL, tmp.resolve("e"),
                    new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())))
                    .isInstanceOf(BadInputException.class)
                    .hasMessageStartingWith("feats: feature schema " + other.schema().hash())
                    .hasMessageContaining("differs from the model's " + features.schema().hash());
        }
        assertThat(tmp.resolve("e")).doesNotExist();
    }
}
